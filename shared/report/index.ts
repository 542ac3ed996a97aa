import type { AuditReport } from "../model";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";
import { renderTable } from "./table";

export const FORMATS = ["table", "json", "markdown", "html"] as const;
export type Format = (typeof FORMATS)[number];

export function render(
  report: AuditReport,
  format: Format,
  options: { color: boolean; verbose?: boolean; width?: number },
) {
  if (format === "json") return renderJson(report);
  if (format === "markdown") return renderMarkdown(report);
  if (format === "html") return renderHtml(report);
  return renderTable(report, options);
}
