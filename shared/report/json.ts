import type { AuditReport } from "../model";

/** The report as the public JSON contract (also the Lambda's return value). */
export const renderJson = (report: AuditReport): string => `${JSON.stringify(report, null, 2)}\n`;
