import type { AuditReport } from "../model";

/**
 * The report as the public JSON contract (`--format json`; the stored copy is compact, see jsonChunks). The account's text is kept
 * raw: it is data, JSON escapes every control character, and a reader that prints it to a
 * terminal or puts it in a page must make it safe there (shared/report/text.ts).
 */
export const renderJson = (report: AuditReport): string => `${JSON.stringify(report, null, 2)}\n`;

/**
 * The report as compact JSON (what the report bucket keeps), in pieces of about `size`
 * characters: exactly `JSON.stringify(report)` plus a newline once joined, but never one string
 * of the whole. At 50,000 instances that string would be 160 MB, and its bytes for the upload as
 * much again: more than the function's 512 MB beside the results themselves.
 */
export function* jsonChunks(report: AuditReport, size = 1 << 16): Generator<string> {
  let buffer = "{";
  let first = true;
  const flush = function* () {
    if (buffer.length >= size) {
      yield buffer;
      buffer = "";
    }
  };
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined) continue; // JSON.stringify leaves such keys out
    buffer += `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (key !== "results") {
      buffer += JSON.stringify(value);
      yield* flush();
      continue;
    }
    buffer += "[";
    for (let i = 0; i < report.results.length; i++) {
      buffer += `${i === 0 ? "" : ","}${JSON.stringify(report.results[i])}`;
      yield* flush();
    }
    buffer += "]";
    yield* flush();
  }
  yield `${buffer}}\n`;
}
