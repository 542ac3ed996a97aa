/**
 * The report link: signed and checked with HMAC-SHA256; a tampered, expired, re-keyed or
 * malformed link is refused (403 or 404) before anything is read; the link is in the email only.
 */
import { describe, expect, it } from "vitest";
import { buildSnsAlert } from "../../../shared/notify/message";
import { checkReportLink, reportLink } from "../../../shared/report/link";
import { reportFrom } from "../../helpers/report";
import { instance, port, region, snapshot } from "../../helpers/snapshot";

const KEY = Buffer.from("k".repeat(64));
const ACCOUNT = "123456789012";
const RUN = "20261201T060000Z-3fa9c2";
const BASE = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";
const EXPIRES = new Date("2026-12-08T06:00:00.900Z");
const BEFORE = new Date("2026-12-08T05:59:59.000Z");

const link = (overrides: Partial<Parameters<typeof reportLink>[0]> = {}) =>
  new URL(
    reportLink({
      baseUrl: BASE,
      accountId: ACCOUNT,
      runId: RUN,
      expires: EXPIRES,
      key: KEY,
      ...overrides,
    }),
  );

const check = (url: URL, now = BEFORE, key: Uint8Array = KEY) =>
  checkReportLink({
    path: url.pathname,
    exp: url.searchParams.get("exp") ?? undefined,
    sig: url.searchParams.get("sig") ?? undefined,
    key,
    now,
  });

describe("reportLink and checkReportLink", () => {
  it("signs the account, the run and the expiry; the link checks until it expires", () => {
    const url = link();
    expect(url.origin + url.pathname).toBe(`${BASE.replace(/\/$/, "")}/r/${ACCOUNT}/${RUN}`);
    expect(url.searchParams.get("exp")).toBe(String(Date.parse("2026-12-08T06:00:00Z") / 1000));
    expect(url.searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(check(url)).toEqual({
      ok: true,
      accountId: ACCOUNT,
      runId: RUN,
      expires: new Date("2026-12-08T06:00:00.000Z"),
    });
    expect(check(url, new Date("2026-12-08T06:00:00.000Z"))).toEqual({ ok: false, status: 403 });
  });

  it("refuses a later expiry, another run or account, another key, a changed signature (403)", () => {
    const url = link();
    const later = new URL(url);
    later.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 86_400));
    const otherRun = new URL(url);
    otherRun.pathname = `/r/${ACCOUNT}/20261201T060000Z-3fa9c3`;
    const otherAccount = new URL(url);
    otherAccount.pathname = `/r/210987654321/${RUN}`;
    const flipped = new URL(url);
    const sig = url.searchParams.get("sig") ?? "";
    flipped.searchParams.set(
      "sig",
      `${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`,
    );
    const noSig = new URL(url);
    noSig.searchParams.delete("sig");
    const shortSig = new URL(url);
    shortSig.searchParams.set("sig", sig.slice(0, 42));
    const oddExp = new URL(url);
    oddExp.searchParams.set("exp", `${url.searchParams.get("exp")}.0`);

    for (const bad of [later, otherRun, otherAccount, flipped, noSig, shortSig, oddExp]) {
      expect(check(bad), bad.href).toEqual({ ok: false, status: 403 });
    }
    expect(check(url, BEFORE, Buffer.from("x".repeat(64)))).toEqual({ ok: false, status: 403 });
  });

  it.each([
    `/r/${ACCOUNT}/../${RUN}`,
    `/r/${ACCOUNT}/${RUN}.json`,
    `/r/${ACCOUNT}/${RUN}/../../latest`,
    `/r/${ACCOUNT}/%2e%2e%2flatest`,
    `/r/${ACCOUNT}/20261332T060000Z-3fa9c2`,
    `/r/12345678901/${RUN}`,
    `/reports/${ACCOUNT}/2026/12/01/${RUN}.html`,
    "/",
    "",
  ])("refuses a path that is not a report link (%s) with 404", (path) => {
    const url = link();
    expect(
      checkReportLink({
        path,
        exp: url.searchParams.get("exp") ?? undefined,
        sig: url.searchParams.get("sig") ?? undefined,
        key: KEY,
        now: BEFORE,
      }),
    ).toEqual({ ok: false, status: 404 });
  });

  it("will not sign a link to something that is not a run", () => {
    expect(() => link({ runId: "../latest" })).toThrow(/Invalid run id/);
    expect(() => link({ accountId: "12345" })).toThrow(/Invalid account id/);
  });
});

describe("the link in the alert", () => {
  it("is in the email with its expiry, never in the SMS or the JSON message", () => {
    const facts = snapshot({
      regions: ["us-east-1"],
      lightsail: [
        region("us-east-1", {
          instances: [instance("blog", [port({ fromPort: 22, toPort: 22 })])],
        }),
      ],
    });
    const report = reportFrom(facts);
    const fails = report.results.filter((r) => r.status === "FAIL");
    const url = link().href;

    const alert = buildSnsAlert({
      report,
      diff: { new: fails, stillOpen: [], renotify: [], resolved: [] },
      smsMinSeverity: "low",
      onDemandHint: "",
      reportLocation: {
        uri: "s3://b/reports/x.json",
        fetch: "aws s3 cp s3://b/reports/x.json report.json",
        link: { url, expires: "2026-12-08T06:00:00.000Z" },
      },
    });

    const message = JSON.parse(alert.message) as Record<string, string>;
    expect(message.email).toContain(
      `View the report in a browser (until 2026-12-08 06:00 UTC; anyone with this link can open it):\n${url}\n`,
    );
    expect(alert.sms).toBe(true);
    expect(message.sms).toMatch(/\S/);
    for (const protocol of ["sms", "email-json", "sqs", "https", "lambda"]) {
      expect(message[protocol], protocol).not.toContain("sig=");
    }
  });
});
