/**
 * Whether a TLS certificate can serve HTTPS today and for the next 30 days. Load-balancer
 * certificates and Lightsail (distribution) certificates share the status values (UPPER_SNAKE;
 * only the load-balancer enum has UNKNOWN), so one judgement serves both. aws-api-facts.md §2.3, §3.2.
 */
import { formatUtc } from "./resources";

const DAY_MS = 86_400_000;

/** A certificate expiring within this many days of the audit (inclusive) fails. */
export const EXPIRY_WARNING_DAYS = 30;

export type CertificateJudgement =
  | { verdict: "valid"; detail: string }
  | { verdict: "invalid"; detail: string }
  | { verdict: "unknown"; detail: string };

const NEW_CERTIFICATE =
  "create a new certificate, add the DNS CNAME validation records Lightsail shows for it to the domain's DNS, and put it in place once it is ISSUED";

/** What each non-ISSUED status means, and the step to take. Completes "Certificate X …". */
const STATUS_PROBLEMS: Record<string, string> = {
  PENDING_VALIDATION:
    "is waiting for DNS validation (PENDING_VALIDATION): add the CNAME record(s) Lightsail shows for it to the domain's DNS zone; AWS issues it once it sees them",
  FAILED: `could not be issued (FAILED), for example because a CAA record on the domain does not allow Amazon to issue certificates: fix that, then ${NEW_CERTIFICATE}`,
  VALIDATION_TIMED_OUT: `was never validated (VALIDATION_TIMED_OUT): its DNS CNAME records were not added in time, so ${NEW_CERTIFICATE}`,
  EXPIRED: `has expired (EXPIRED), so browsers refuse the site: ${NEW_CERTIFICATE}`,
  REVOKED: `has been revoked (REVOKED), so browsers no longer trust it: ${NEW_CERTIFICATE}`,
  INACTIVE: `is inactive (INACTIVE): ${NEW_CERTIFICATE}`,
};

/**
 * Judges a certificate at time `now` (epoch ms). ISSUED and more than 30 days from `notAfter` is
 * valid; exactly 30 days or fewer is invalid. A status or date we cannot read is unknown.
 *
 * @example
 * judgeCertificate({ status: "ISSUED", notAfter: "2026-08-30T12:00:00Z" }, Date.parse(now))
 * // { verdict: "invalid", detail: "is ISSUED but expires on 2026-08-30 12:00 UTC, in 29 days. …" }
 */
export function judgeCertificate(
  cert: { status?: string; notAfter?: string },
  now: number,
): CertificateJudgement {
  const status = cert.status?.trim().toUpperCase() ?? "";
  if (status === "") return { verdict: "unknown", detail: "reports no status" };
  if (status !== "ISSUED") {
    const problem = STATUS_PROBLEMS[status];
    return problem
      ? { verdict: "invalid", detail: problem }
      : {
          verdict: "unknown",
          detail: `reports status ${cert.status}, which says nothing about whether it is valid`,
        };
  }
  const end = cert.notAfter === undefined ? Number.NaN : Date.parse(cert.notAfter);
  if (Number.isNaN(end)) {
    return {
      verdict: "unknown",
      detail: "is ISSUED but reports no readable expiry date (notAfter)",
    };
  }
  const left = end - now;
  if (left <= 0) {
    return {
      verdict: "invalid",
      detail: `expired on ${formatUtc(end)}, so browsers refuse the site: ${NEW_CERTIFICATE}`,
    };
  }
  // Rounded up: 19.9 days left reads "in 20 days"; 30 or fewer shown always means FAIL.
  const days = Math.ceil(left / DAY_MS);
  const when = `${formatUtc(end)}, in ${days === 1 ? "1 day" : `${days} days`}`;
  if (left <= EXPIRY_WARNING_DAYS * DAY_MS) {
    return {
      verdict: "invalid",
      detail: `is ISSUED but expires on ${when}. Lightsail renews it automatically only while its DNS CNAME validation records are still in place: check them now, or ${NEW_CERTIFICATE}`,
    };
  }
  return { verdict: "valid", detail: `is ISSUED and valid until ${when}` };
}
