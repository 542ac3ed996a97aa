import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-static-ip-attached";
import type { LightsailStaticIp, Outcome } from "../../../shared/model";
import { context, REGION, region, snapshot, staticIp } from "../../helpers/snapshot";

function evaluateAll(staticIps: LightsailStaticIp[] | null): Outcome[] {
  // Prepare
  const snap = snapshot({ lightsail: [region(REGION, { staticIps })] });
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(overrides: Partial<LightsailStaticIp>): Outcome {
  const outcomes = evaluateAll([staticIp("StaticIp-1", overrides)]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-static-ip-attached", () => {
  it("passes an attached static IP, naming its instance", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Static IP "StaticIp-1" (54.200.150.66) is attached to instance "WordPress-1".',
    );
    expect(outcome.resource).toEqual({
      type: "LightsailStaticIp",
      name: "StaticIp-1",
      arn: "arn:aws:lightsail:us-east-1:123456789012:StaticIp/StaticIp-1-0000-4000-8000-000000000000",
      region: "us-east-1",
    });
  });

  it("fails a detached static IP (isAttached false, no attachedTo key, as the API sends it)", () => {
    const outcome = evaluateOne({ isAttached: false, attachedTo: undefined });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      'Static IP "StaticIp-1" (54.200.150.66) is not attached to any instance',
    );
    expect(outcome.message).toContain("lightsail-dns-no-dangling-records");
  });

  it("trusts isAttached false over a stale attachedTo", () => {
    expect(evaluateOne({ isAttached: false, attachedTo: "old-instance" }).status).toBe("FAIL");
  });

  it("passes when isAttached is missing but attachedTo names an instance (every member is optional)", () => {
    expect(evaluateOne({ isAttached: undefined }).status).toBe("PASS");
  });

  it("is ERROR, never PASS, when the entry says neither", () => {
    const outcome = evaluateOne({ isAttached: undefined, attachedTo: undefined });

    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toContain("did not say whether");
  });

  it("is ERROR for a region whose static IPs could not be listed, quoting the failure", () => {
    const snap = snapshot({
      lightsail: [region(REGION, { staticIps: null }), region("eu-west-2")],
      failures: [
        {
          source: "lightsail",
          region: REGION,
          operation: "GetStaticIps",
          errorName: "AccessDeniedException",
          message: "denied",
        },
      ],
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.resource.name).toBe(REGION);
    expect(outcomes[0]?.message).toContain(
      "static IPs in us-east-1 (AccessDeniedException: denied)",
    );
  });

  it("gives one result per static IP, and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([staticIp("a"), staticIp("b", { isAttached: false })]).map((o) => o.status),
    ).toEqual(["PASS", "FAIL"]);
  });
});
