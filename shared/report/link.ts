/**
 * The signed, expiring link to a run's HTML report that the alert email carries. Pure (no SDK,
 * no clock: the time comes in as an argument).
 *
 * ```
 * <function URL>/r/<accountId>/<runId>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>
 * ```
 *
 * The signature covers a version tag, the account, the run and the expiry, with a key kept in
 * Secrets Manager (never in the link, the email or the code): the link opens that one run's HTML
 * until it expires, and changing any part of it (another run, a later expiry) makes it worthless.
 * The path must match the run-id pattern exactly, so nothing in it can reach another object.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { reportKeys } from "./location";

/** The path: an account id (12 digits) and a run id (location.ts checks both again). */
const PATH = /^\/r\/(\d{12})\/(\d{8}T\d{6}Z-[0-9a-f]{6})$/;
/** A SHA-256 HMAC is 32 bytes: 43 base64url characters without padding. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EXPIRY = /^\d{1,12}$/;

function signature(key: Uint8Array, accountId: string, runId: string, exp: number): Buffer {
  return createHmac("sha256", key)
    .update(`report-link:v1\n${accountId}\n${runId}\n${exp}`)
    .digest();
}

/**
 * The link to a run's HTML report, valid until `expires` (rounded down to the second).
 *
 * @example
 * reportLink({ baseUrl: "https://abc.lambda-url.us-east-1.on.aws/", accountId, runId, expires, key })
 * // "https://abc.lambda-url.us-east-1.on.aws/r/123456789012/20261201T060000Z-3fa9c2?exp=1765180800&sig=..."
 */
export function reportLink(input: {
  baseUrl: string;
  accountId: string;
  runId: string;
  expires: Date;
  key: Uint8Array;
}): string {
  const { accountId, runId, key } = input;
  reportKeys(accountId, runId); // throws on anything that is not an account and a run id
  const exp = Math.floor(input.expires.getTime() / 1000);
  const sig = signature(key, accountId, runId, exp).toString("base64url");
  return `${input.baseUrl.replace(/\/+$/, "")}/r/${accountId}/${runId}?exp=${exp}&sig=${sig}`;
}

export type LinkCheck =
  | { ok: true; accountId: string; runId: string; expires: Date }
  /** 404: not the shape of a report link at all. 403: a link, but not (or no longer) valid. */
  | { ok: false; status: 403 | 404 };

/**
 * Checks a request for a report: the path's shape first (404), then the signature in constant
 * time, then the expiry (403 for either, without saying which). Nothing is read before it passes.
 */
export function checkReportLink(input: {
  path: string;
  exp: string | undefined;
  sig: string | undefined;
  key: Uint8Array;
  now: Date;
}): LinkCheck {
  const m = PATH.exec(input.path);
  const [, accountId = "", runId = ""] = m ?? [];
  if (!m) return { ok: false, status: 404 };
  try {
    reportKeys(accountId, runId);
  } catch {
    return { ok: false, status: 404 };
  }
  const { exp, sig } = input;
  if (!exp || !sig || !EXPIRY.test(exp) || !SIGNATURE.test(sig)) return { ok: false, status: 403 };
  const expected = signature(input.key, accountId, runId, Number(exp));
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 403 };
  }
  const expires = new Date(Number(exp) * 1000);
  if (input.now.getTime() >= expires.getTime()) return { ok: false, status: 403 };
  return { ok: true, accountId, runId, expires };
}
