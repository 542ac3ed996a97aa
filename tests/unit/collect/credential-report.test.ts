/**
 * parseCredentialReport on the §5.3 sample of aws-api-facts.md and its real-world variants:
 * lower/upper-case booleans, root's not_supported, N/A and no_information, columns parsed by
 * header name, quoting, a BOM, CRLF and blank lines.
 */
import { describe, expect, it } from "vitest";
import { parseCredentialReport } from "../../../shared/collect/credential-report";
import type { CredentialReportRow } from "../../../shared/model";

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
const ROOT =
  "<root_account>,arn:aws:iam::123456789012:root,2017-06-10T02:35:07+00:00,not_supported,2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
const EXAMPLE_USER =
  "example.user,arn:aws:iam::123456789012:user/example.user,2017-06-10T02:43:37+00:00,true,2017-06-10T02:45:16+00:00,2017-06-10T02:45:50+00:00,N/A,false,true,2017-06-10T02:47:48+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
const DEPLOYER =
  "deployer,arn:aws:iam::123456789012:user/deployer,2019-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2019-01-01T00:00:00+00:00,2024-06-01T12:03:00+00:00,us-east-1,lightsail,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

/** The §5.3 sample, verbatim. */
const SAMPLE = [HEADER, ROOT, EXAMPLE_USER, DEPLOYER].join("\n");

const EXPECTED: CredentialReportRow[] = [
  {
    user: "<root_account>",
    arn: "arn:aws:iam::123456789012:root",
    userCreationTime: "2017-06-10T02:35:07.000Z",
    passwordEnabled: "not_supported",
    passwordLastUsed: "2017-10-22T08:11:09.000Z",
    mfaActive: true,
    accessKey1Active: false,
    accessKey1LastUsedDate: null,
    accessKey2Active: false,
    accessKey2LastUsedDate: null,
  },
  {
    user: "example.user",
    arn: "arn:aws:iam::123456789012:user/example.user",
    userCreationTime: "2017-06-10T02:43:37.000Z",
    passwordEnabled: true,
    passwordLastUsed: "2017-06-10T02:45:16.000Z",
    mfaActive: false,
    accessKey1Active: true,
    accessKey1LastUsedDate: null,
    accessKey2Active: false,
    accessKey2LastUsedDate: null,
  },
  {
    user: "deployer",
    arn: "arn:aws:iam::123456789012:user/deployer",
    userCreationTime: "2019-01-01T00:00:00.000Z",
    passwordEnabled: false,
    passwordLastUsed: null,
    mfaActive: false,
    accessKey1Active: true,
    accessKey1LastUsedDate: "2024-06-01T12:03:00.000Z",
    accessKey2Active: false,
    accessKey2LastUsedDate: null,
  },
];

/** Rewrites one named column of one data row (1-based row index, header is row 0). */
function withCell(csv: string, row: number, column: string, value: string): string {
  const lines = csv.split("\n");
  const index = (lines[0] ?? "").split(",").indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  const cells = (lines[row] ?? "").split(",");
  cells[index] = value;
  lines[row] = cells.join(",");
  return lines.join("\n");
}

/** Removes one named column from every line (the sample has no quoted cells). */
function withoutColumn(csv: string, column: string): string {
  const lines = csv.split("\n").map((l) => l.split(","));
  const index = (lines[0] ?? []).indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  return lines.map((cells) => cells.filter((_, i) => i !== index).join(",")).join("\n");
}

describe("parseCredentialReport", () => {
  it("parses the §5.3 sample: root not_supported, N/A dates as null, lower-case booleans", () => {
    // Act
    const rows = parseCredentialReport(SAMPLE);

    // Assess
    expect(rows).toEqual(EXPECTED);
  });

  it("reads no_information (password never used) as null", () => {
    const csv = withCell(SAMPLE, 2, "password_last_used", "no_information");

    const rows = parseCredentialReport(csv);

    expect(rows[1]?.user).toBe("example.user");
    expect(rows[1]?.passwordLastUsed).toBeNull();
    expect(rows[1]?.passwordEnabled).toBe(true);
  });

  it("reads root's password_enabled true/false (newer accounts) as booleans", () => {
    const rootTrue = parseCredentialReport(withCell(SAMPLE, 1, "password_enabled", "true"));
    const rootFalse = parseCredentialReport(withCell(SAMPLE, 1, "password_enabled", "false"));

    expect(rootTrue[0]?.passwordEnabled).toBe(true);
    expect(rootFalse[0]?.passwordEnabled).toBe(false);
  });

  it("accepts the documented upper-case TRUE/FALSE (and NOT_SUPPORTED)", () => {
    // Prepare
    const upper = SAMPLE.split("\n")
      .map((line, i) =>
        i === 0 ? line : line.replace(/\btrue\b/g, "TRUE").replace(/\bfalse\b/g, "FALSE"),
      )
      .join("\n")
      .replace("not_supported,2017-10-22", "NOT_SUPPORTED,2017-10-22");
    expect(upper).toContain("TRUE");
    expect(upper).not.toMatch(/\b(true|false)\b/);

    // Act
    const rows = parseCredentialReport(upper);

    // Assess
    expect(rows).toEqual(EXPECTED);
  });

  it("parses by header name, whatever the column order", () => {
    // Prepare: the same report with its 22 columns reversed.
    const reversed = SAMPLE.split("\n")
      .map((line) => line.split(",").reverse().join(","))
      .join("\n");
    expect(reversed.startsWith("cert_2_last_rotated,")).toBe(true);

    // Act
    const rows = parseCredentialReport(reversed);

    // Assess
    expect(rows).toEqual(EXPECTED);
  });

  it("reads a quoted user name containing a comma (IAM allows ',' in names)", () => {
    // Prepare
    const row =
      '"ops,admin","arn:aws:iam::123456789012:user/ops,admin",2020-02-02T00:00:00+00:00,true,2024-05-05T05:05:05+00:00,2020-02-02T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

    // Act
    const rows = parseCredentialReport([HEADER, ROOT, row].join("\n"));

    // Assess
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      user: "ops,admin",
      arn: "arn:aws:iam::123456789012:user/ops,admin",
      userCreationTime: "2020-02-02T00:00:00.000Z",
      passwordEnabled: true,
      passwordLastUsed: "2024-05-05T05:05:05.000Z",
      mfaActive: true,
      accessKey1Active: false,
      accessKey1LastUsedDate: null,
      accessKey2Active: false,
      accessKey2LastUsedDate: null,
    });
  });

  it("ignores a leading byte-order mark (the first column is still 'user')", () => {
    const rows = parseCredentialReport(`\uFEFF${SAMPLE}`);

    expect(rows).toEqual(EXPECTED);
    expect(rows[0]?.user).toBe("<root_account>");
  });

  it("names a missing required column in the error", () => {
    const csv = withoutColumn(SAMPLE, "mfa_active");

    expect(() => parseCredentialReport(csv)).toThrow(
      /credential report: missing column\(s\) mfa_active$/,
    );
  });

  it("names every missing required column", () => {
    const csv = withoutColumn(withoutColumn(SAMPLE, "access_key_2_active"), "password_last_used");

    expect(() => parseCredentialReport(csv)).toThrow(/password_last_used, access_key_2_active/);
  });

  it("checks the header even when there is no data row, and rejects an empty report", () => {
    expect(() => parseCredentialReport("user,arn\n")).toThrow(
      /missing column\(s\) password_enabled, /,
    );
    expect(() => parseCredentialReport("")).toThrow("credential report is empty (no header row)");
  });

  it("rejects a date that is not ISO 8601 and a boolean that is neither true nor false", () => {
    const notIso = withCell(SAMPLE, 3, "access_key_1_last_used_date", "1");
    expect(() => parseCredentialReport(notIso)).toThrow('credential report: unreadable date "1"');
    const notBool = withCell(SAMPLE, 3, "mfa_active", "yes");
    expect(() => parseCredentialReport(notBool)).toThrow(
      'credential report: unreadable boolean "yes"',
    );
  });

  it("throws on an unreadable date, quoting the value", () => {
    const csv = withCell(SAMPLE, 3, "access_key_1_last_used_date", "last tuesday");

    expect(() => parseCredentialReport(csv)).toThrow(
      'credential report: unreadable date "last tuesday"',
    );
  });

  it("normalises dates to ISO UTC, converting non-zero offsets", () => {
    const csv = withCell(SAMPLE, 3, "access_key_1_last_used_date", "2024-06-01T14:03:00+02:00");

    const rows = parseCredentialReport(csv);

    expect(rows[2]?.accessKey1LastUsedDate).toBe("2024-06-01T12:03:00.000Z");
  });

  it("skips empty lines (between rows, trailing, and with CRLF line ends)", () => {
    const lf = [HEADER, ROOT, "", EXAMPLE_USER, "", DEPLOYER, "", ""].join("\n");
    const crlf = [HEADER, ROOT, "", EXAMPLE_USER, DEPLOYER, ""].join("\r\n");

    expect(parseCredentialReport(lf)).toEqual(EXPECTED);
    expect(parseCredentialReport(crlf)).toEqual(EXPECTED);
  });

  it("keeps a report without a root row (moto's shape) as just the users", () => {
    const rows = parseCredentialReport([HEADER, DEPLOYER].join("\n"));

    expect(rows).toEqual([EXPECTED[2]]);
  });
});
