import type { AuditReport } from "../model";
import { renderAsff } from "./asff";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";
import { renderOcsf } from "./ocsf";
import { renderTable } from "./table";

/** asff and ocsf: JSON Lines, one finding per result (docs/security-hub.md). */
export const FORMATS = ["table", "json", "markdown", "html", "asff", "ocsf"] as const;
export type Format = (typeof FORMATS)[number];

export function render(
  report: AuditReport,
  format: Format,
  options: { color: boolean; verbose?: boolean; width?: number; region?: string },
) {
  if (format === "json") return renderJson(report);
  if (format === "markdown") return renderMarkdown(report);
  if (format === "html") return renderHtml(report);
  if (format === "asff") return renderAsff(report, { region: options.region ?? "us-east-1" });
  if (format === "ocsf") return renderOcsf(report, { region: options.region ?? "us-east-1" });
  return renderTable(report, options);
}
