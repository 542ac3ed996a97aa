import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-auto-snapshots-enabled";
import type { LightsailInstance, Outcome } from "../../../shared/model";
import { context, instance, region, snapshot, withInstances } from "../../helpers/snapshot";

function evaluateAddOns(addOns: LightsailInstance["addOns"]): Outcome {
  // Prepare
  const snap = withInstances([instance("wp-1", undefined, { addOns })]);
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one result per instance
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-instance-auto-snapshots-enabled", () => {
  it("passes an instance whose AutoSnapshot add-on is Enabled", () => {
    const outcome = evaluateAddOns([{ name: "AutoSnapshot", status: "Enabled" }]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe('Instance "wp-1" has automatic daily snapshots enabled.');
    expect(outcome.resource.type).toBe("LightsailInstance");
  });

  it.each([
    ["autosnapshot", "enabled"],
    ["AUTOSNAPSHOT", "ENABLED"],
  ])("compares name %s and status %s case-insensitively", (name, status) => {
    expect(evaluateAddOns([{ name, status }]).status).toBe("PASS");
  });

  it("fails an instance with no add-ons, saying what is at stake", () => {
    const outcome = evaluateAddOns([]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain('Instance "wp-1" has no automatic snapshots');
  });

  it.each(["Disabled", "Enabling", "Failed"])(
    "fails an AutoSnapshot add-on whose status is %s, naming it",
    (status) => {
      const outcome = evaluateAddOns([{ name: "AutoSnapshot", status }]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(`automatic snapshot add-on is ${status}, not Enabled`);
    },
  );

  it("fails when the add-on reports no status", () => {
    expect(evaluateAddOns([{ name: "AutoSnapshot" }]).status).toBe("FAIL");
  });

  it("does not take another add-on for automatic snapshots", () => {
    expect(evaluateAddOns([{ name: "StopInstanceOnIdle", status: "Enabled" }]).status).toBe("FAIL");
  });

  it("checks every instance, WordPress or not", () => {
    const snap = withInstances([
      instance("wp-1"),
      instance("mail", undefined, { blueprintId: "debian_12", addOns: [] }),
    ]);

    const outcomes = check.evaluate(snap, context());

    expect(outcomes.map((o) => [o.resource.name, o.status])).toEqual([
      ["wp-1", "PASS"],
      ["mail", "FAIL"],
    ]);
  });

  it("is an ERROR for a region whose instances could not be listed", () => {
    const snap = snapshot({ lightsail: [region("eu-west-2", { instances: null })] });

    const [outcome] = check.evaluate(snap, context());

    expect(outcome?.status).toBe("ERROR");
    expect(outcome?.resource).toMatchObject({ type: "LightsailRegion", name: "eu-west-2" });
  });
});
