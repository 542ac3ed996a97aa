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
  let message = build(all);
  let detailed = all;
  if (!fits(message)) {
    // Largest detail count that fits: binary search, since size grows with the count.
    let lo = 0;
    let hi = all;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(build(mid))) lo = mid;
      else hi = mid - 1;
    }
    detailed = lo;
    message = build(lo);
  }
  return {
    subject,
    message,
    sms: sms !== null,
    detailed: Math.min(detailed, input.diff.new.length),
  };
}
