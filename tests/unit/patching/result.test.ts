/** Reading the script's result line and the latest run per node. */
import { describe, expect, it } from "vitest";
import { type CommandRun, latestRuns, parsePatchOutput } from "../../../shared/patching/result";
import { patchResult, resultLine } from "../../helpers/snapshot";

describe("parsePatchOutput", () => {
  it("reads the line from a plugin output that has the error output appended", () => {
    const result = patchResult({ rebootRequired: true, pendingSecurityUpdates: 4 });
    const output = `${resultLine(result)}\n\n----------ERROR-------\nW: Some index files failed to download\n`;

    expect(parsePatchOutput(output)).toEqual({ result });
  });

  it("finds the line after other output, and with a Windows line end", () => {
    const result = patchResult();

    expect(parsePatchOutput(`Reading package lists...\r\n${resultLine(result)}\r\n`)).toEqual({
      result,
    });
  });

  it.each([
    ["", "its output holds no lightsail-auditor result line"],
    ["E: dpkg was interrupted\n", "its output holds no lightsail-auditor result line"],
    [resultLine(patchResult()).slice(0, 120), "its result line is not valid JSON (cut short?)"],
    [
      '{"lightsailAuditorPatch":1,"changed":"all"}',
      "its result line is malformed (changed: Invalid input: expected array, received string)",
    ],
    [
      resultLine(patchResult()).replace(
        '"pendingSecurityUpdates":0',
        '"pendingSecurityUpdates":-1',
      ),
      expect.stringMatching(/^its result line is malformed \(pendingSecurityUpdates: /),
    ],
  ])("explains an unreadable output %#", (output, error) => {
    expect(parsePatchOutput(output)).toEqual({ error });
  });
});

describe("latestRuns", () => {
  const run = (instanceId: string, requestedAt: string, status = "Success"): CommandRun => ({
    commandId: `cmd-${requestedAt}`,
    instanceId,
    requestedAt,
    status,
    output: resultLine(patchResult()),
  });

  it("keeps the most recently requested finished run of each node, in node order", () => {
    const runs = [
      run("mi-b", "2026-07-30T06:00:00.000Z", "Failed"),
      run("mi-a", "2026-07-29T06:00:00.000Z"),
      run("mi-b", "2026-07-31T06:00:00.000Z"),
      run("mi-a", "2026-07-28T06:00:00.000Z", "Failed"),
    ];

    const latest = latestRuns(runs);

    expect(latest.map((r) => [r.instanceId, r.requestedAt, r.status])).toEqual([
      ["mi-a", "2026-07-29T06:00:00.000Z", "Success"],
      ["mi-b", "2026-07-31T06:00:00.000Z", "Success"],
    ]);
    expect(latest[0]?.result).toEqual(patchResult());
  });

  it("ignores runs that have not finished", () => {
    const runs = [
      run("mi-a", "2026-07-29T06:00:00.000Z", "TimedOut"),
      run("mi-a", "2026-07-31T06:00:00.000Z", "InProgress"),
      run("mi-b", "2026-07-31T06:00:00.000Z", "Pending"),
    ];

    expect(latestRuns(runs).map((r) => [r.instanceId, r.status])).toEqual([["mi-a", "TimedOut"]]);
  });

  it("keeps a run whose output is unreadable, with the reason", () => {
    const [latest] = latestRuns([{ ...run("mi-a", "2026-07-31T06:00:00.000Z"), output: "" }]);

    expect(latest).toMatchObject({
      result: null,
      resultError: "its output holds no lightsail-auditor result line",
    });
  });
});
