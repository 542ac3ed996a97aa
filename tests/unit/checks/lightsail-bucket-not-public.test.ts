import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-bucket-not-public";
import type { LightsailBucket, Outcome } from "../../../shared/model";
import { bucket, context, REGION, region, snapshot } from "../../helpers/snapshot";

function evaluateAll(buckets: LightsailBucket[] | null): Outcome[] {
  // Prepare
  const snap = snapshot({ lightsail: [region(REGION, { buckets })] });
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(overrides: Partial<LightsailBucket>): Outcome {
  const outcomes = evaluateAll([bucket("wp-media-3f7a2c", overrides)]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-bucket-not-public", () => {
  it("passes a private bucket, naming the instances given access", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Bucket "wp-media-3f7a2c" is private (getObject = private). Also given access: instances "WordPress-1".',
    );
    expect(outcome.resource).toEqual({
      type: "LightsailBucket",
      name: "wp-media-3f7a2c",
      arn: "arn:aws:lightsail:us-east-1:123456789012:Bucket/wp-media-3f7a2c-0000-4000-8000-000000000000",
      region: "us-east-1",
    });
  });

  it("fails getObject public, whatever allowPublicOverrides says", () => {
    for (const allowPublicOverrides of [true, false, undefined]) {
      const outcome = evaluateOne({ getObject: "public", allowPublicOverrides });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        'Bucket "wp-media-3f7a2c" is public (getObject = public): anyone who knows or guesses an object\'s URL under https://wp-media-3f7a2c.s3.us-east-1.amazonaws.com/ can read every object',
      );
      expect(outcome.message).toContain("mute this finding");
    }
  });

  it("names read-only accounts and instances given access", () => {
    const outcome = evaluateOne({
      getObject: "public",
      readonlyAccessAccounts: ["111122223333"],
      resourcesReceivingAccess: ["wp-1", "wp-2"],
    });

    expect(outcome.message).toContain(
      'Also given access: instances "wp-1" and "wp-2"; read-only AWS accounts 111122223333.',
    );
  });

  it("passes a public setting that account-level block public access overrides, saying so", () => {
    const outcome = evaluateOne({ getObject: "public", accountBlockPublicAccess: true });

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain("block public access applies");
    expect(outcome.message).toContain("set it to private");
  });

  it("passes private with individual object access, saying objects may be public", () => {
    const outcome = evaluateOne({ allowPublicOverrides: true, resourcesReceivingAccess: [] });

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Bucket "wp-media-3f7a2c" is private (getObject = private). Individual objects can still be made public with a public-read ACL (allowPublicOverrides = true), as media-offload plugins do; which ones are is not checked.',
    );
  });

  it("is ERROR, never PASS, when the access rules are missing or unknown", () => {
    const missing = evaluateOne({ getObject: undefined });
    const unknown = evaluateOne({ getObject: "authenticated-read" });

    expect(missing.status).toBe("ERROR");
    expect(missing.message).toContain("no accessRules.getObject");
    expect(unknown.status).toBe("ERROR");
    expect(unknown.message).toContain('getObject = "authenticated-read"');
  });

  it("is ERROR for a region whose buckets could not be listed (a denied GetBuckets is not 'no buckets')", () => {
    const snap = snapshot({
      lightsail: [region(REGION, { buckets: null })],
      failures: [
        {
          source: "lightsail",
          region: REGION,
          operation: "GetBuckets",
          errorName: "AccessDeniedException",
          message: "denied",
        },
      ],
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.message).toContain("buckets in us-east-1 (AccessDeniedException: denied)");
  });

  it("gives one result per bucket, and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([bucket("a"), bucket("b", { getObject: "public" })]).map((o) => o.status),
    ).toEqual(["PASS", "FAIL"]);
  });
});
