import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-imdsv2-required";
import type { Outcome } from "../../../shared/model";
import { context, instance, region, snapshot, withInstances } from "../../helpers/snapshot";

function evaluateTokens(metadataHttpTokens: string | undefined): Outcome {
  // Prepare
  const snap = withInstances([instance("wp-1", undefined, { metadataHttpTokens })]);
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one result per instance
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-instance-imdsv2-required", () => {
  it("passes httpTokens required", () => {
    const outcome = evaluateTokens("required");

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain("httpTokens = required");
  });

  it("fails httpTokens optional (IMDSv1 on), the API's default", () => {
    const outcome = evaluateTokens("optional");

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      "accepts instance metadata requests without a session token (httpTokens = optional",
    );
  });

  it("fails an old response with no metadataOptions, saying the default applies", () => {
    const outcome = evaluateTokens(undefined);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("does not report its instance metadata settings");
    expect(outcome.message).toContain("httpTokens = optional");
  });

  it.each([
    ["optional", "disabled"],
    ["required", "disabled"],
    [undefined, "DISABLED"],
  ])(
    "passes httpTokens %s with httpEndpoint %s: no metadata service at all, so no IMDSv1",
    (metadataHttpTokens, metadataHttpEndpoint) => {
      const snap = withInstances([
        instance("wp-1", undefined, { metadataHttpTokens, metadataHttpEndpoint }),
      ]);

      const [outcome, ...rest] = check.evaluate(snap, context());

      expect(rest).toEqual([]);
      expect(outcome?.status).toBe("PASS");
      expect(outcome?.message).toContain("httpEndpoint = disabled");
      expect(outcome?.message).not.toContain("IMDSv1 still on");
    },
  );

  it("fails httpTokens optional with httpEndpoint enabled", () => {
    const snap = withInstances([
      instance("wp-1", undefined, {
        metadataHttpTokens: "optional",
        metadataHttpEndpoint: "enabled",
      }),
    ]);

    expect(check.evaluate(snap, context())[0]?.status).toBe("FAIL");
  });

  it("compares case-insensitively", () => {
    expect(evaluateTokens("REQUIRED").status).toBe("PASS");
  });

  it("is an ERROR for a region whose instances could not be listed", () => {
    const snap = snapshot({ lightsail: [region("eu-west-2", { instances: null })] });

    const [outcome] = check.evaluate(snap, context());

    expect(outcome?.status).toBe("ERROR");
    expect(outcome?.resource).toMatchObject({ type: "LightsailRegion", name: "eu-west-2" });
  });
});
