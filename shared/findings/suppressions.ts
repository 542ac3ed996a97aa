/**
 * Suppressions: findings the owner has accepted, each with a reason and an expiry date. A matching
 * FAIL becomes MUTED (shown in the report, never alerted). An expired suppression stops applying
 * and the alert says so, so the owner removes or extends it.
 */
import * as z from "zod";
import { CHECK_IDS } from "../checks/index";
import { ConfigError } from "../errors";
import type { CheckResult, Suppression } from "../model";
import bundled from "../suppressions.json";

const entry = z
  .object({
    checkId: z.string().refine((id) => CHECK_IDS.includes(id), {
      message: `unknown check id (valid: ${CHECK_IDS.join(", ")})`,
    }),
    resource: z.string().trim().min(1, "resource pattern is empty"),
    reason: z.string({ error: "needs a reason" }).trim().min(1, "needs a reason"),
    expires: z.iso.date({ error: "expires must be a date YYYY-MM-DD" }),
  })
  .strict();

/** Day after `expires`, 00:00 UTC: the suppression applies up to and including its last day. */
const endOf = (s: Suppression) => Date.parse(`${s.expires}T00:00:00Z`) + 86_400_000;

/**
 * Validates a suppression list. With `rejectExpired` (when a list is written or checked), a past
 * date is an error too; at run time an expired entry is kept and reported as expired instead.
 *
 * @example parseSuppressions([{ checkId: "iam-root-mfa-enabled", resource: "*", reason: "...", expires: "2027-01-31" }], { now })
 */
export function parseSuppressions(
  input: unknown,
  options: { source: string; now: Date; rejectExpired?: boolean },
): Suppression[] {
  if (!Array.isArray(input))
    throw new ConfigError(`${options.source}: suppressions must be a JSON array`);
  return input.map((raw, i) => {
    const parsed = entry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join(".") || "entry";
      throw new ConfigError(`${options.source}: suppression #${i + 1} ${field}: ${issue?.message}`);
    }
    if (options.rejectExpired && endOf(parsed.data) <= options.now.getTime()) {
      throw new ConfigError(
        `${options.source}: suppression #${i + 1} (${parsed.data.checkId} ${parsed.data.resource}) expired on ${parsed.data.expires}; remove it or set a future date`,
      );
    }
    return parsed.data;
  });
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export function matches(s: Suppression, r: CheckResult): boolean {
  if (s.checkId !== r.checkId) return false;
  const re = glob(s.resource);
  const { name, region, arn } = r.resource;
  return re.test(name) || re.test(`${region}/${name}`) || (arn !== "" && re.test(arn));
}

/** Mutes FAIL results matched by an active suppression; returns the expired suppressions. */
export function applySuppressions(
  results: readonly CheckResult[],
  suppressions: readonly Suppression[],
  now: Date,
): { results: CheckResult[]; expired: Suppression[] } {
  const active = suppressions.filter((s) => endOf(s) > now.getTime());
  const expired = suppressions.filter((s) => endOf(s) <= now.getTime());
  const muted = results.map((r) => {
    if (r.status !== "FAIL") return r;
    const s = active.find((x) => matches(x, r));
    return s
      ? { ...r, status: "MUTED" as const, suppressedBy: { reason: s.reason, expires: s.expires } }
      : r;
  });
  return { results: muted, expired };
}

/** The list shipped with the stack (shared/suppressions.json), bundled into the Lambda. */
export function bundledSuppressions(now: Date, rejectExpired = false): Suppression[] {
  return parseSuppressions(bundled, { source: "shared/suppressions.json", now, rejectExpired });
}
