import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-bucket-versioning-enabled";
import type { LightsailBucket, Outcome } from "../../../shared/model";
import { bucket, context, REGION, region, snapshot } from "../../helpers/snapshot";

function evaluateAll(buckets: LightsailBucket[] | null): Outcome[] {
  // Prepare
  const snap = snapshot({ lightsail: [region(REGION, { buckets })] });
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(overrides: Partial<LightsailBucket>): Outcome {
  const outcomes = evaluateAll([bucket("wp-media", overrides)]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-bucket-versioning-enabled", () => {
  it("passes objectVersioning Enabled", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Bucket "wp-media" keeps earlier versions of its objects (object versioning Enabled).',
    );
  });

  it.each([
    ["NeverEnabled", "object versioning was never enabled"],
    ["Suspended", "object versioning is Suspended"],
  ])("fails %s", (objectVersioning, text) => {
    const outcome = evaluateOne({ objectVersioning });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(`Bucket "wp-media": ${text}`);
    expect(outcome.message).toContain("cannot be recovered");
  });

  it("is ERROR, never PASS, when objectVersioning is missing or unknown", () => {
    expect(evaluateOne({ objectVersioning: undefined }).status).toBe("ERROR");
    expect(evaluateOne({ objectVersioning: "MfaDelete" }).status).toBe("ERROR");
  });

  it("is ERROR for a region whose buckets could not be listed", () => {
    const outcomes = evaluateAll(null);

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.message).toContain("whether they keep object versions is unknown");
  });

  it("gives one result per bucket, and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([bucket("a"), bucket("b", { objectVersioning: "NeverEnabled" })]).map(
        (o) => o.status,
      ),
    ).toEqual(["PASS", "FAIL"]);
  });
});
