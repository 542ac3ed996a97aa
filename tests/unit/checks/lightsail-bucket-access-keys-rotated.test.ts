import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-bucket-access-keys-rotated";
import type { BucketAccessKey, LightsailBucket, Outcome } from "../../../shared/model";
import {
  bucket,
  bucketAccessKey,
  context,
  NOW,
  REGION,
  region,
  snapshot,
} from "../../helpers/snapshot";

const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();

function evaluateAll(buckets: LightsailBucket[] | null, failures = snapshot().failures): Outcome[] {
  // Prepare
  const snap = snapshot({ lightsail: [region(REGION, { buckets })], failures });
  // Act
  return check.evaluate(snap, context());
}

function evaluateKeys(accessKeys: BucketAccessKey[] | null): Outcome {
  const outcomes = evaluateAll([bucket("wp-media", { accessKeys })]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-bucket-access-keys-rotated", () => {
  it("passes an active key younger than 90 days, saying how old", () => {
    const outcome = evaluateKeys([bucketAccessKey("AKIA1")]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Bucket "wp-media"\'s active access key is at most 30 days old (limit 90).',
    );
    expect(outcome.resource.type).toBe("LightsailBucket");
  });

  it("passes a bucket without keys, and ignores old inactive keys", () => {
    expect(evaluateKeys([]).message).toBe('Bucket "wp-media" has no active access keys.');
    expect(
      evaluateKeys([bucketAccessKey("AKIA1", { status: "Inactive", createdAt: daysBefore(400) })])
        .status,
    ).toBe("PASS");
  });

  it("fails an active key of 91 days and passes one of exactly 90", () => {
    const old = evaluateKeys([bucketAccessKey("AKIA1", { createdAt: daysBefore(91) })]);
    const limit = evaluateKeys([bucketAccessKey("AKIA1", { createdAt: daysBefore(90) })]);

    expect(old.status).toBe("FAIL");
    expect(old.message).toContain(
      "active access key older than 90 days: AKIA1 (created 2026-05-02 12:00 UTC, 91 days ago; last used 2026-07-31 12:00 UTC)",
    );
    expect(limit.status).toBe("PASS");
  });

  it("names every old key, a never-used one as such", () => {
    const outcome = evaluateKeys([
      bucketAccessKey("AKIA1", { createdAt: daysBefore(200) }),
      bucketAccessKey("AKIA2", { createdAt: daysBefore(100), lastUsedDate: undefined }),
    ]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("active access keys older than 90 days: AKIA1");
    expect(outcome.message).toContain("and AKIA2 (created");
    expect(outcome.message).toContain("100 days ago; never used)");
  });

  it("is ERROR, never PASS, when an active key has no creation date", () => {
    const outcome = evaluateKeys([bucketAccessKey("AKIA1", { createdAt: undefined })]);

    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toContain("no creation date for active key AKIA1");
  });

  it("is ERROR when the bucket's keys could not be read, quoting the failure", () => {
    const outcomes = evaluateAll(
      [bucket("wp-media", { accessKeys: null })],
      [
        {
          source: "lightsail",
          region: REGION,
          operation: "GetBucketAccessKeys",
          errorName: "AccessDeniedException",
          message: "denied",
          resource: "wp-media",
        },
      ],
    );

    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.message).toBe(
      'The access keys of bucket "wp-media" could not be read (AccessDeniedException: denied), so whether they are rotated is unknown.',
    );
  });

  it("is ERROR for a region whose buckets could not be listed", () => {
    const outcomes = evaluateAll(null);

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.resource.type).toBe("LightsailRegion");
  });

  it("gives one result per bucket, and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([
        bucket("a"),
        bucket("b", { accessKeys: [bucketAccessKey("AKIA2", { createdAt: daysBefore(365) })] }),
      ]).map((o) => o.status),
    ).toEqual(["PASS", "FAIL"]);
  });
});
