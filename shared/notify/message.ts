/**
 * One SNS Publish per audit with `MessageStructure: "json"`: email subscribers get the text, SMS
 * subscribers the short text, JSON-minded subscribers the compact change. The whole message stays
 * under SNS's 256 KB limit by listing fewer findings in detail (most severe first).
 */
import {
  type AlertInput,
  bySeverity,
  renderEmail,
  renderJsonChange,
  renderSms,
  renderSubject,
} from "./render";

/** SNS's limit for everything but SMS, message attributes included. */
export const SNS_MAX_BYTES = 262_144;
/** Room kept for the message attributes and the JSON envelope's own growth. */
const MARGIN = 1_024;

export interface SnsAlert {
  subject: string;
  /** The `Message` for `MessageStructure: "json"`. */
  message: string;
  /** True when the SMS subscription (filtered on the `sms` attribute) should get this alert. */
  sms: boolean;
  /** How many NEW findings are listed in detail (all, unless the limit forced fewer). */
  detailed: number;
}

export function buildSnsAlert(unsorted: AlertInput): SnsAlert {
  // Sorted once here; the size search below renders O(log n) times, each time in O(n).
  const { diff } = unsorted;
  const input: AlertInput = {
    ...unsorted,
    diff: {
      ...diff,
      new: [...diff.new].sort(bySeverity),
      renotify: [...diff.renotify].sort(bySeverity),
    },
  };
  const subject = renderSubject(input);
  const sms = renderSms(input);
  const build = (limit: number) => {
    const email = renderEmail(input, limit);
    const json = renderJsonChange(input, limit);
    return JSON.stringify({
      default: email,
      email,
      ...(sms ? { sms } : {}),
      "email-json": json,
      https: json,
      http: json,
      sqs: json,
      lambda: json,
    });
  };
  const fits = (m: string) => Buffer.byteLength(m, "utf8") + MARGIN <= SNS_MAX_BYTES;
  const all = Math.max(
    input.diff.new.length,
    input.diff.resolved.length,
    input.diff.renotify.length,
    input.report.failures.length,
    input.report.remediation?.planned.length ?? 0,
    input.report.remediation?.skipped.length ?? 0,
  );
  // The search has already rendered the message it settles on: keep the largest that fit.
  let kept = { limit: -1, message: "" };
  const detailed = largestFitting(
    all,
    (limit) => {
      const message = build(limit);
      if (!fits(message)) return false;
      if (limit > kept.limit) kept = { limit, message };
      return true;
    },
    guess(all, build),
  );
  return {
    subject,
    message: kept.limit === detailed ? kept.message : build(detailed),
    sms: sms !== null,
    detailed: Math.min(detailed, input.diff.new.length),
  };
}

/** Findings listed in detail per probe when estimating their size. */
const SAMPLE = 32;

/** How many items would fit, judged from the size of the first few (never more than `all`). */
function guess(all: number, build: (limit: number) => string): number {
  const base = Buffer.byteLength(build(0), "utf8");
  const k = Math.min(all, SAMPLE);
  if (k === 0) return 0;
  const perItem = Math.max(1, (Buffer.byteLength(build(k), "utf8") - base) / k);
  return Math.min(all, Math.max(0, Math.floor((SNS_MAX_BYTES - MARGIN - base) / perItem)));
}

/**
 * The largest limit in [0, all] for which `fits` holds (0 when none does; size grows with the
 * limit). Starts at `start` and gallops to bracket the answer, so every probe renders a message
 * near the size limit: a binary search from `all` would first render tens of megabytes.
 */
export function largestFitting(all: number, fits: (limit: number) => boolean, start: number) {
  let lo = 0; // fits (or nothing does)
  let hi = all + 1; // does not fit
  let probe = Math.min(all, Math.max(1, start));
  if (all === 0) return 0;
  if (fits(probe)) {
    lo = probe;
    while (lo < all) {
      probe = Math.min(all, lo * 2);
      if (!fits(probe)) {
        hi = probe;
        break;
      }
      lo = probe;
    }
  } else {
    hi = probe;
    while (hi > 1) {
      probe = Math.floor(hi / 2);
      if (fits(probe)) {
        lo = probe;
        break;
      }
      hi = probe;
    }
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
