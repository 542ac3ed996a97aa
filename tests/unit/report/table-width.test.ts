/**
 * The terminal table fits the terminal's width; in a pipe or a file each finding stays on one line
 * (so grep finds it) and a long name widens only its own row.
 */
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { checkTexts, evaluate, summarize } from "../../../shared/audit";
import { CHECKS } from "../../../shared/checks/index";
import type { AuditReport } from "../../../shared/model";
import { renderTable } from "../../../shared/report/table";
import { displayWidth, wrap } from "../../../shared/report/text";
import {
  ACCOUNT_ID,
  context,
  instance,
  NOW,
  port,
  region,
  rootRow,
  snapshot,
} from "../../helpers/snapshot";

const LONG = `wordpress-${"very-long-site-name-".repeat(12)}end`;

/** Root with an active key (a short name), SSH open on `blog` and on the long-named instance. */
function report(only?: readonly string[]): AuditReport {
  const ssh = [port({ fromPort: 22, toPort: 22 })];
  const s = snapshot({
    lightsail: [region("us-east-1", { instances: [instance("blog", ssh), instance(LONG, ssh)] })],
    iam: { credentialReport: [rootRow({ accessKey1Active: true })] },
  });
  const checks = only ? CHECKS.filter((c) => only.includes(c.id)) : CHECKS;
  const results = evaluate(checks, s, context());
  return {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: NOW,
    finishedAt: NOW,
    regions: { audited: ["us-east-1"], skipped: [] },
    summary: summarize(results, false),
    checks: checkTexts(checks),
    results,
    failures: [],
    expiredSuppressions: [],
  };
}

/** Lines wider than `width`, but the `$ command` lines (kept whole so they can be pasted). */
const tooWide = (text: string, width: number) =>
  stripVTControlCharacters(text)
    .split("\n")
    .filter((line) => displayWidth(line) > width && !line.startsWith("    $ "));

describe("table width", () => {
  it.each([80, 120])("no line is wider than a %i-column terminal", (width) => {
    for (const color of [false, true]) {
      const text = renderTable(report(), { color, width });

      expect(tooWide(text, width)).toEqual([]);
      // The long name is all there, wrapped, not cut.
      expect(stripVTControlCharacters(text).replace(/\s+/g, "")).toContain(LONG);
    }
  });

  it("120 columns: the details wrap in their own column, under a capped resource column", () => {
    const text = renderTable(
      report(["iam-root-no-access-keys", "lightsail-instance-ssh-not-public"]),
      { color: false, width: 120 },
    );
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("STATUS")) ?? "";
    const details = header.indexOf("DETAILS");
    const blog = lines.findIndex((l) => l.includes("us-east-1/blog "));

    expect(header).toMatch(/RESOURCE {2,}DETAILS$/);
    expect(details - header.indexOf("RESOURCE")).toBeLessThanOrEqual(32 + 2);
    expect(lines[blog]?.slice(details)).toMatch(/^SSH \(TCP 22\) on instance "blog"/);
    // Its message goes on under the details column, not back at the left margin.
    expect(lines[blog + 1]).toMatch(new RegExp(`^ {${details}}\\S`));
    expect(tooWide(text, 120)).toEqual([]);
  });

  it("80 columns: the details go under their row, indented", () => {
    const text = renderTable(report(), { color: false, width: 80 });
    const lines = text.split("\n");
    const blog = lines.findIndex((l) =>
      /lightsail-instance-ssh-not-public +us-east-1\/blog$/.test(l),
    );

    expect(lines.find((l) => l.startsWith("STATUS"))).toMatch(/CHECK +RESOURCE$/);
    expect(lines[blog + 1]).toMatch(/^ {4}SSH \(TCP 22\) on instance "blog"/);
  });

  it("without a width (pipe, file): one line per finding; a long name widens only its own row", () => {
    const text = renderTable(report(), { color: false });
    const rows = text.split("\n").filter((l) => /^(FAIL|ERROR|MUTED|PASS) /.test(l));
    const short = rows.find((l) => l.includes("us-east-1/blog "));
    const long = rows.find((l) => l.includes(LONG));

    expect(rows.length).toBe(report().results.filter((r) => r.status !== "PASS").length);
    expect(long).toMatch(
      new RegExp(`us-east-1/${LONG}  SSH \\(TCP 22\\) on instance "${LONG}" .*\\.$`),
    );
    expect(short).toMatch(/us-east-1\/blog {2,}SSH \(TCP 22\) on instance "blog" .*\.$/);
    expect(short).not.toMatch(/ {34}/);
  });
});

describe("wrap", () => {
  it("breaks at spaces, cuts a word longer than a line, counts wide characters twice", () => {
    expect(wrap("SSH is open to the world", 10)).toEqual(["SSH is", "open to", "the world"]);
    expect(wrap("ab abcdefghij k", 4)).toEqual(["ab", "abcd", "efgh", "ij k"]);
    expect(wrap("first line then more", 10, 6)).toEqual(["first line", "then", "more"]);
    expect(wrap("日本語のサイト", 6)).toEqual(["日本語", "のサイ", "ト"]);
    expect(wrap("", 10)).toEqual([""]);
  });
});
