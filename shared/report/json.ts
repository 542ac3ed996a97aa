import type { AuditReport } from "../model";

/**
 * The report as the public JSON contract (also what is stored in S3). The account's text is kept
 * raw: it is data, JSON escapes every control character, and a reader that prints it to a
 * terminal or puts it in a page must make it safe there (shared/report/text.ts).
 */
export const renderJson = (report: AuditReport): string => `${JSON.stringify(report, null, 2)}\n`;
