/**
 * The ip-ranges.json reader over real HTTP against the fake's copy (GET /ip-ranges.json), and the
 * dangling-DNS check end to end: what a failed or turned-off lookup does to the audit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { getAwsIpRanges } from "../../shared/aws/ip-ranges";
import { createAccountReader } from "../../shared/aws/reader";
import { parseConfig } from "../../shared/config";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, IP_RANGES_PATH, startFakeAws } from "../fake-aws/server";

let fake: FakeAws;
const url = () => `${fake.url}${IP_RANGES_PATH}`;

beforeAll(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.faults.clearFaults();
  fake.calls.length = 0;
});

describe("getAwsIpRanges", () => {
  it("keeps only the EC2 prefixes, IPv4 and IPv6, with the file's syncToken", async () => {
    expect(await getAwsIpRanges(url())).toEqual({
      syncToken: "1764547200",
      ipv4: ["192.0.2.0/24"],
      ipv6: ["2001:db8::/32"],
    });
  });

  it("says the file is unavailable on an HTTP error, naming the URL and status", async () => {
    fake.faults.addFault({ service: "ip-ranges", kind: "http-503", times: 1 });

    await expect(getAwsIpRanges(url())).rejects.toMatchObject({
      name: "IpRangesUnavailable",
      message: `${url()} answered HTTP 503`,
    });
  });

  it("says the file is malformed when it is not JSON, or not in the documented shape", async () => {
    fake.faults.addFault({ service: "ip-ranges", kind: "malformed", times: 1 });
    await expect(getAwsIpRanges(url())).rejects.toMatchObject({ name: "IpRangesMalformed" });

    await expect(getAwsIpRanges(`${fake.url}/nothing-here.json`)).rejects.toMatchObject({
      name: "IpRangesUnavailable",
    });
  });

  it("gives up after its timeout when the server never answers", async () => {
    fake.faults.addFault({ service: "ip-ranges", kind: "hang", times: 1 });

    await expect(getAwsIpRanges(url(), 200)).rejects.toMatchObject({
      name: "IpRangesUnavailable",
      message: `reading ${url()} timed out`,
    });
  });

  it("says a refused connection is unavailable", async () => {
    await expect(getAwsIpRanges("http://127.0.0.1:9/ip-ranges.json")).rejects.toMatchObject({
      name: "IpRangesUnavailable",
      message: "reading http://127.0.0.1:9/ip-ranges.json failed",
    });
  });
});

describe("lightsail-dns-no-dangling-records on the demo account", () => {
  const env = () => ({
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  });
  const audit = async (ipRanges: string) => {
    Object.assign(process.env, env());
    const report = await runAudit(
      { reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }) },
      parseConfig({ checks: "lightsail-dns-no-dangling-records", ipRanges, patching: "off" }),
    );
    return report;
  };
  const dns = (report: Awaited<ReturnType<typeof audit>>) =>
    report.results.map((r) => `${r.status} ${r.resource.name}`);

  it("fails the two dangling records with one read of the file and one GetDomains", async () => {
    const report = await audit(url());

    expect(dns(report)).toEqual([
      "FAIL old-shop.example.com A 192.0.2.200",
      "FAIL promo.example.com CNAME d0e1f2a3b4c5d6.cloudfront.net",
    ]);
    const count = (op: string) => fake.calls.filter((c) => c.operation === op).length;
    expect([count("GetIpRanges"), count("GetDomains")]).toEqual([1, 1]);
  });

  it("is ERROR for the unmatched address, and the audit incomplete, when the file is unavailable", async () => {
    fake.faults.addFault({ service: "ip-ranges", kind: "http-503" });

    const report = await audit(url());

    expect(dns(report)).toEqual([
      "ERROR old-shop.example.com A 192.0.2.200",
      "FAIL promo.example.com CNAME d0e1f2a3b4c5d6.cloudfront.net",
      "ERROR mail.example.com A 198.51.100.25",
    ]);
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures).toEqual([
      expect.objectContaining({
        source: "ip-ranges",
        operation: "ip-ranges.json",
        errorName: "IpRangesUnavailable",
      }),
    ]);
  });

  it("makes no outbound read when turned off, and judges only the hosts", async () => {
    const report = await audit("off");

    expect(dns(report)).toEqual(["FAIL promo.example.com CNAME d0e1f2a3b4c5d6.cloudfront.net"]);
    expect(fake.calls.some((c) => c.service === "ip-ranges")).toBe(false);
    expect(report.summary.incomplete).toBe(false);
  });
});
