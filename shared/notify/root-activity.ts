/**
 * The real-time root alert: a CloudTrail event (console sign-in or API call by the root user,
 * delivered by EventBridge) becomes one email + SMS at once, at most one per burst window.
 */
import * as z from "zod";
import type { RateLimiter } from "../aws/rate-limit";
import { AlertDeliveryError, ConfigError, describeError } from "../errors";
import { plain } from "../report/text";
import type { SnsAlert } from "./message";
import { fitSubject, gsmSafe } from "./render";

/** At most one alert per this many seconds; events in between are counted in the next one. */
export const BURST_WINDOW_SECONDS = 15 * 60;

const cloudTrailEvent = z.object({
  "detail-type": z.string(),
  account: z.string(),
  region: z.string(),
  detail: z.object({
    userIdentity: z.object({ type: z.string(), arn: z.string().optional() }),
    eventTime: z.string(),
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string(),
    sourceIPAddress: z.string().optional(),
    userAgent: z.string().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    responseElements: z.record(z.string(), z.unknown()).nullish(),
    additionalEventData: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export interface RootActivity {
  accountId: string;
  kind: "console sign-in" | "API call";
  action: string;
  succeeded: boolean;
  mfaUsed?: boolean;
  sourceIp: string;
  region: string;
  time: string;
  userAgent?: string;
}

/** Validates the EventBridge event; throws a ConfigError naming the field when it is not one. */
export function parseRootActivity(event: unknown): RootActivity {
  const parsed = cloudTrailEvent.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Not a CloudTrail event: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const { detail, account } = parsed.data;
  if (detail.userIdentity.type !== "Root") {
    throw new ConfigError(
      `Not a root user event (userIdentity.type is ${detail.userIdentity.type})`,
    );
  }
  const signIn = detail.eventName === "ConsoleLogin";
  const mfa = detail.additionalEventData?.MFAUsed;
  return {
    accountId: account,
    kind: signIn ? "console sign-in" : "API call",
    action: signIn
      ? "ConsoleLogin"
      : `${detail.eventSource.replace(/\.amazonaws\.com$/, "")}:${detail.eventName}`,
    succeeded: signIn ? detail.responseElements?.ConsoleLogin === "Success" : !detail.errorCode,
    ...(typeof mfa === "string" ? { mfaUsed: mfa === "Yes" } : {}),
    sourceIp: detail.sourceIPAddress ?? "unknown",
    region: detail.awsRegion,
    time: detail.eventTime,
    ...(detail.userAgent ? { userAgent: detail.userAgent } : {}),
  };
}

/** Subject, email and SMS for one root event (plus how many were held back before it). */
export function renderRootAlert(a: RootActivity, heldBack: number): SnsAlert {
  const outcome = a.succeeded ? "" : " (FAILED attempt)";
  const what =
    a.kind === "console sign-in"
      ? `Root console sign-in${outcome}`
      : `Root API call ${a.action}${outcome}`;
  const subject = fitSubject(what, ` in account ${a.accountId}`);
  const lines = [
    `The root user of AWS account ${a.accountId} was just used.`,
    "",
    `What:   ${a.kind} ${a.action}${a.succeeded ? ", succeeded" : ", FAILED"}`,
    `When:   ${a.time}`,
    // The user agent (and, for calls through AWS services, the source) is the caller's text.
    `From:   ${plain(a.sourceIp)}${a.userAgent ? ` (${plain(a.userAgent)})` : ""}`,
    `Region: ${a.region}`,
    ...(a.mfaUsed === undefined ? [] : [`MFA:    ${a.mfaUsed ? "yes" : "NO"}`]),
    ...(heldBack > 0
      ? [
          "",
          `${heldBack} more root event(s) happened since the previous alert (alerts are limited to one per 15 minutes).`,
        ]
      : []),
    "",
    "If this was you: fine, but use an IAM admin user for daily work and keep root for the few tasks that need it.",
    "If it was not you: sign in as root now, change the root password, check MFA, delete any root access keys,",
    "and review CloudTrail Event history for what was done. AWS Support can help recover the account.",
  ];
  const sms = gsmSafe(
    `ROOT ${a.kind === "console sign-in" ? "sign-in" : a.action}${a.succeeded ? "" : " (failed)"} in AWS ${a.accountId} from ${a.sourceIp} at ${a.time.slice(11, 16)} UTC. Not you? Act now.`,
  ).slice(0, 140);
  const json = JSON.stringify({ type: "root-activity", ...a, heldBack });
  const email = `${lines.join("\n")}\n`;
  const message = JSON.stringify({
    default: email,
    email,
    sms,
    "email-json": json,
    https: json,
    http: json,
    sqs: json,
    lambda: json,
  });
  return { subject, message, sms: true, detailed: 1 };
}

export interface RootAlertDeps {
  limiter: RateLimiter;
  publish: (alert: SnsAlert) => Promise<string>;
  now: () => Date;
}

/** Sends the alert unless one went out less than 15 minutes ago. */
export async function alertRootActivity(
  deps: RootAlertDeps,
  event: unknown,
): Promise<{ sent: boolean; activity: RootActivity }> {
  const activity = parseRootActivity(event);
  const heldBack = await deps.limiter.acquire(
    `root-activity#${activity.accountId}`,
    deps.now(),
    BURST_WINDOW_SECONDS,
  );
  if (heldBack === null) return { sent: false, activity };
  try {
    await deps.publish(renderRootAlert(activity, heldBack));
  } catch (err) {
    const { errorName, message } = describeError(err);
    throw new AlertDeliveryError(
      `Could not publish the root activity alert (${errorName}: ${message})`,
      { cause: err },
    );
  }
  return { sent: true, activity };
}
