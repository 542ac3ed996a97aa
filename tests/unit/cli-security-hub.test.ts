/**
 * The CLI's ASFF and OCSF formats (audit and show) and `--security-hub on`, with the account and
 * the importer injected (the import itself is tested over HTTP in
 * tests/integration/security-hub*.test.ts).
 */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { FindingImporter, ImportOutcome } from "../../shared/aws/security-hub";
import { type CliIo, main } from "../../shared/cli";
import type { AuditReport } from "../../shared/model";
import type { AsffFinding } from "../../shared/report/asff";
import { securityHubModel, shapeProblems } from "../helpers/asff-model";
import { readerFor } from "../helpers/reader";
import { expectValidReport } from "../helpers/report-schema";
import { instance, managedNode, port, region, snapshot } from "../helpers/snapshot";

const account = snapshot({
  lightsail: [
    region("us-east-1", {
      instances: [instance("blog", [port({ fromPort: 22, toPort: 22 })])],
      managedNodes: [managedNode("mi-0123456789abcdef0", "blog")],
    }),
  ],
});
const R = ["--regions", "us-east-1"];

function harness(securityHub?: FindingImporter, stdin?: string) {
  const out = { text: "" };
  const err = { text: "" };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s) },
    stderr: { write: (s: string) => (err.text += s) },
    env: { AWS_REGION: "eu-west-2" },
    reader: readerFor(account),
    ...(securityHub ? { securityHub } : {}),
    ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
  };
  return { io, out, err };
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
const model = securityHubModel();
const validateOcsf = new Ajv2020({ strict: false }).compile(
  JSON.parse(
    readFileSync(
      new URL("../fixtures/ocsf/compliance_finding.schema.json", import.meta.url),
      "utf8",
    ),
  ) as object,
);

/** An importer that records what it is given and answers `outcome`. */
function recorder(outcome: (n: number) => ImportOutcome) {
  const sent: AsffFinding[][] = [];
  const importer: FindingImporter = async (findings) => {
    const all = [...findings];
    sent.push(all);
    return outcome(all.length);
  };
  return { importer, sent };
}

describe("lightsail-audit --format asff | ocsf", () => {
  it("prints one valid ASFF finding per result, one per line, for the CLI's region", async () => {
    const json = harness();
    await main([...R, "--format", "json"], json.io);
    const report = JSON.parse(json.out.text) as AuditReport;
    const { io, out } = harness();

    expect(await main([...R, "--format", "asff"], io)).toBe(0);

    const findings = lines(out.text) as AsffFinding[];
    expect(findings).toHaveLength(report.results.length);
    for (const f of findings) expect(shapeProblems(model, "AwsSecurityFinding", f)).toEqual([]);
    expect(findings[0]?.ProductArn).toBe(
      "arn:aws:securityhub:eu-west-2:123456789012:product/123456789012/default",
    );
  });

  it("prints OCSF Compliance Findings, also from a stored report with show", async () => {
    const json = harness();
    await main([...R, "--format", "json"], json.io);
    const { io, out } = harness(undefined, json.out.text);

    expect(await main(["show", "-", "--format", "ocsf"], io)).toBe(0);

    const events = lines(out.text);
    expect(events).toHaveLength((JSON.parse(json.out.text) as AuditReport).results.length);
    for (const e of events) expect(validateOcsf(e), JSON.stringify(validateOcsf.errors)).toBe(true);
  });
});

describe("lightsail-audit --security-hub on", () => {
  it("imports the findings and says so on stderr; the report is unchanged", async () => {
    const { importer, sent } = recorder((n) => ({ imported: n, failed: [], calls: 1 }));
    const { io, out, err } = harness(importer);

    expect(await main([...R, "--security-hub", "on", "--format", "json"], io)).toBe(0);

    const report = expectValidReport(JSON.parse(out.text) as AuditReport);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(report.results.length);
    expect(report.failures).toEqual([]);
    expect(err.text).toContain(
      `Security Hub (123456789012, eu-west-2): imported ${report.results.length} findings in 1 call`,
    );
  });

  it("a hub that is not enabled: one line, the report lists it, the audit completes (exit 3 with --fail-on)", async () => {
    const { importer } = recorder((n) => ({
      imported: 0,
      failed: [],
      calls: 1,
      notEnabled: `InvalidAccessException: not subscribed (${n})`,
    }));
    const { io, out, err } = harness(importer);

    const code = await main(
      [...R, "--security-hub", "on", "--format", "json", "--fail-on", "critical"],
      io,
    );

    expect(code).toBe(3);
    const report = expectValidReport(JSON.parse(out.text) as AuditReport);
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures).toEqual([
      expect.objectContaining({ source: "securityhub", errorName: "InvalidAccessException" }),
    ]);
    expect(err.text.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^Security Hub \(123456789012, eu-west-2\): not enabled; no finding sent/,
      ),
    ]);
  });

  it("an importer that throws costs the import, not the report", async () => {
    const { io, out } = harness(async () => {
      throw new TypeError("boom");
    });

    expect(await main([...R, "--security-hub", "on", "--format", "json"], io)).toBe(0);

    const report = expectValidReport(JSON.parse(out.text) as AuditReport);
    expect(report.failures).toEqual([
      expect.objectContaining({
        source: "securityhub",
        errorName: "TypeError",
        message: expect.stringMatching(/findings could not be sent to Security Hub .*boom$/),
      }),
    ]);
  });

  it("imports nothing by default, and refuses a value that is not off or on", async () => {
    const { importer, sent } = recorder((n) => ({ imported: n, failed: [], calls: 1 }));
    const off = harness(importer);
    await main(R, off.io);
    expect(sent).toHaveLength(0);

    const bad = harness(importer);
    expect(await main([...R, "--security-hub", "yes"], bad.io)).toBe(1);
    expect(bad.err.text).toContain(
      'Invalid --security-hub (SECURITY_HUB): must be one of off, on, got "yes"',
    );
  });
});
