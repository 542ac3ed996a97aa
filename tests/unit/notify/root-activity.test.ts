import { describe, expect, it } from "vitest";
import apiCall from "../../../events/root-api-call.json";
import failure from "../../../events/root-console-login-failure.json";
import success from "../../../events/root-console-login-success.json";
import { ConfigError } from "../../../shared/errors";
import { parseRootActivity, renderRootAlert } from "../../../shared/notify/root-activity";

describe("parseRootActivity", () => {
  it("reads a successful root console sign-in without MFA", () => {
    expect(parseRootActivity(success)).toEqual({
      accountId: "123456789012",
      kind: "console sign-in",
      action: "ConsoleLogin",
      succeeded: true,
      mfaUsed: false,
      sourceIp: "198.51.100.23",
      region: "us-east-1",
      time: "2026-11-25T09:14:07Z",
      userAgent: expect.stringContaining("Safari"),
    });
  });

  it("reads a failed sign-in as failed", () => {
    expect(parseRootActivity(failure)).toMatchObject({
      succeeded: false,
      sourceIp: "203.0.113.77",
    });
  });

  it("reads an API call as service:action, without the response (which may hold key ids)", () => {
    const activity = parseRootActivity(apiCall);
    expect(activity).toMatchObject({
      kind: "API call",
      action: "iam:CreateAccessKey",
      succeeded: true,
    });
    expect(JSON.stringify(activity)).not.toContain("AKIAEXAMPLEROOTKEY02");
  });

  it("rejects an event of another identity, and one that is not a CloudTrail event, naming why", () => {
    const iamUser = structuredClone(success);
    iamUser.detail.userIdentity.type = "IAMUser";
    expect(() => parseRootActivity(iamUser)).toThrow(
      new ConfigError("Not a root user event (userIdentity.type is IAMUser)"),
    );
    expect(() => parseRootActivity({ "detail-type": "Scheduled Event" })).toThrow(
      /^Not a CloudTrail event: account: /,
    );
  });
});

describe("renderRootAlert", () => {
  // SNS: "less than 100 characters", no control characters (botocore sns/2010-03-31
  // PublishInput.Subject); AWS has been seen to accept 100, so 99 holds under both rules.
  it("keeps the subject at 99 printable characters or fewer, account number included", () => {
    const long: { detail: Record<string, unknown> } & typeof apiCall = structuredClone(apiCall);
    long.detail.eventSource = `${"very-long-service-name-".repeat(6)}.amazonaws.com`;
    long.detail.eventName = `Create\u0007${"Ü".repeat(120)}\nKey`;
    long.detail.errorCode = "AccessDenied";

    const alert = renderRootAlert(parseRootActivity(long), 0);

    expect(alert.subject.length).toBeLessThanOrEqual(99);
    expect(alert.subject).toMatch(/^\[lightsail-auditor\] Root API call very-long-service-name/);
    expect(alert.subject).toMatch(/\.\.\. in account 123456789012$/);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it("says what, when, from where and whether MFA was used, in every channel", () => {
    const alert = renderRootAlert(parseRootActivity(success), 0);
    const message = JSON.parse(alert.message) as Record<string, string>;
    expect(alert.subject).toBe("[lightsail-auditor] Root console sign-in in account 123456789012");
    expect(alert.sms).toBe(true);
    expect(message.email).toContain("From:   198.51.100.23 (Mozilla/5.0");
    expect(message.email).toContain("MFA:    NO");
    expect(message.sms).toBe(
      "ROOT sign-in in AWS 123456789012 from 198.51.100.23 at 09:14 UTC. Not you? Act now.",
    );
    expect(Buffer.byteLength(message.sms ?? "")).toBeLessThanOrEqual(140);
    expect(JSON.parse(message.sqs ?? "{}")).toMatchObject({
      type: "root-activity",
      action: "ConsoleLogin",
      heldBack: 0,
    });
  });

  it("flags a failed attempt and counts the events held back since the previous alert", () => {
    const alert = renderRootAlert(parseRootActivity(failure), 3);
    const message = JSON.parse(alert.message) as Record<string, string>;
    expect(alert.subject).toBe(
      "[lightsail-auditor] Root console sign-in (FAILED attempt) in account 123456789012",
    );
    expect(message.email).toContain("3 more root event(s) happened since the previous alert");
    expect(message.sms).toContain("ROOT sign-in (failed) in AWS 123456789012");
  });
});

describe("root alert: the caller's text", () => {
  it("keeps a hostile user agent on its line, without controls", () => {
    const activity = parseRootActivity(success);
    const forged = { ...activity, userAgent: "curl\x1b]0;t\x07\r\nFAKE LINE PASS ok\u202e" };

    const email = JSON.parse(renderRootAlert(forged, 0).message).email as string;
    const clean = JSON.parse(renderRootAlert(activity, 0).message).email as string;

    expect(email.split("\n")).toHaveLength(clean.split("\n").length);
    expect(email).toContain("(curl]0;t ↵ FAKE LINE PASS ok)");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not survive
    expect(email).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
  });
});
