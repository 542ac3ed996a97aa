import { describe, expect, it } from "vitest";
import type { AuditReport } from "../../../shared/model";
import { jsonChunks } from "../../../shared/report/json";
import { dryRun } from "../../helpers/remediation";
import { reportFrom } from "../../helpers/report";
import { instance, port, region, snapshot } from "../../helpers/snapshot";

function reportOf(instances: number): AuditReport {
  const s = snapshot({
    regions: ["us-east-1"],
    lightsail: [
      region("us-east-1", {
        instances: Array.from({ length: instances }, (_, i) =>
          instance(`site-${i}`, [port({ fromPort: 22, toPort: 22 })]),
        ),
      }),
    ],
  });
  return reportFrom(s, { patching: undefined, remediation: dryRun() });
}

describe("jsonChunks", () => {
  it("joins to exactly JSON.stringify of the report, an undefined key left out as JSON does", () => {
    const report = reportOf(3);
    for (const size of [1, 100, 1 << 16]) {
      expect([...jsonChunks(report, size)].join("")).toBe(`${JSON.stringify(report)}\n`);
    }
    expect(JSON.stringify(report)).not.toContain('"patching"');
  });

  it("never holds much more than one chunk: the results are cut between elements", () => {
    const report = reportOf(500);
    const longest = Math.max(...report.results.map((r) => JSON.stringify(r).length));
    const checksLength = JSON.stringify(report.checks).length;

    const chunks = [...jsonChunks(report, 4096)];

    expect(chunks.length).toBeGreaterThan(100);
    // Only the piece holding the check texts (one value) may exceed a chunk and one result.
    const over = chunks.filter((c) => c.length > 4096 + longest + 2);
    expect(over.every((c) => c.length <= 4096 + checksLength + 64)).toBe(true);
    expect(over.length).toBeLessThanOrEqual(1);
    expect(JSON.parse(chunks.join(""))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
