/**
 * Parses the IAM credential report CSV by header name (never by position). Booleans are compared
 * case-insensitively (documented TRUE/FALSE, real files say true/false); `N/A`, `no_information`
 * and `not_supported` dates become null; root's `password_enabled` may be `not_supported`.
 */
import { parse } from "csv-parse/sync";
import type { CredentialReportRow } from "../model";

const REQUIRED = [
  "user",
  "arn",
  "password_enabled",
  "password_last_used",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_used_date",
  "access_key_2_active",
  "access_key_2_last_used_date",
] as const;

const NO_DATE = new Set(["n/a", "no_information", "not_supported", ""]);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function date(value: string | undefined): string | null {
  const v = (value ?? "").trim();
  if (NO_DATE.has(v.toLowerCase())) return null;
  const t = Date.parse(v);
  if (!ISO_8601.test(v) || Number.isNaN(t))
    throw new Error(`credential report: unreadable date "${v}"`);
  return new Date(t).toISOString();
}

function bool(value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (v !== "true" && v !== "false")
    throw new Error(`credential report: unreadable boolean "${value}"`);
  return v === "true";
}

/** @example parseCredentialReport("user,arn,...\n<root_account>,arn:aws:iam::1:root,...") */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const [header, ...rows]: string[][] = parse(csv, {
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
  if (!header) throw new Error("credential report is empty (no header row)");
  const columns = header.map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new Error(`credential report: missing column(s) ${missing.join(", ")}`);
  }
  return rows.map((cells) => {
    const r = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""])) as Record<
      string,
      string
    >;
    const passwordEnabled = (r.password_enabled ?? "").toLowerCase();
    return {
      user: r.user ?? "",
      arn: r.arn ?? "",
      userCreationTime: date(r.user_creation_time),
      passwordEnabled:
        passwordEnabled === "not_supported" ? "not_supported" : bool(passwordEnabled),
      passwordLastUsed: date(r.password_last_used),
      mfaActive: bool(r.mfa_active),
      accessKey1Active: bool(r.access_key_1_active),
      accessKey1LastUsedDate: date(r.access_key_1_last_used_date),
      accessKey2Active: bool(r.access_key_2_active),
      accessKey2LastUsedDate: date(r.access_key_2_last_used_date),
    };
  });
}
