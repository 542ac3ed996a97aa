import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-database-not-public";
import type { LightsailDatabase, Outcome } from "../../../shared/model";
import { context, database, REGION, region, snapshot } from "../../helpers/snapshot";

function evaluateAll(databases: LightsailDatabase[] | null): Outcome[] {
  // Prepare
  const snap = snapshot({ lightsail: [region(REGION, { databases })] });
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(overrides: Partial<LightsailDatabase>): Outcome {
  const outcomes = evaluateAll([database("wp-db", overrides)]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-database-not-public", () => {
  it("passes a private database (publiclyAccessible false)", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Database "wp-db" is private: only Lightsail resources in its region can connect to it.',
    );
    expect(outcome.resource).toEqual({
      type: "LightsailDatabase",
      name: "wp-db",
      arn: "arn:aws:lightsail:us-east-1:123456789012:RelationalDatabase/wp-db-0000-4000-8000-000000000000",
      region: "us-east-1",
    });
  });

  it("fails a database in public mode, naming its endpoint", () => {
    const outcome = evaluateOne({ publiclyAccessible: true });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain('Database "wp-db" is in public mode');
    expect(outcome.message).toContain(
      "at ls-0123456789abcdef0123456789abcdef01234567.czowadgeezqi.us-east-1.rds.amazonaws.com:3306",
    );
  });

  it("fails public mode even without an endpoint (a database still being created)", () => {
    const outcome = evaluateOne({
      publiclyAccessible: true,
      endpointAddress: undefined,
      endpointPort: undefined,
      state: "creating",
    });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("can reach its endpoint and try passwords");
  });

  it("is ERROR, never PASS, when publiclyAccessible is missing (optional in the model)", () => {
    const outcome = evaluateOne({ publiclyAccessible: undefined });

    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toContain("no publiclyAccessible");
  });

  it("is ERROR for a region whose databases could not be listed, quoting the failure", () => {
    const snap = snapshot({
      lightsail: [region(REGION, { databases: null })],
      failures: [
        {
          source: "lightsail",
          region: REGION,
          operation: "GetRelationalDatabases",
          errorName: "AccessDeniedException",
          message: "denied",
        },
      ],
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.message).toContain(
      "managed databases in us-east-1 (AccessDeniedException: denied)",
    );
  });

  it("gives one result per database over every region, and none when there are none", () => {
    const snap = snapshot({
      lightsail: [
        region(REGION, { databases: [database("a")] }),
        region("eu-west-2", {
          databases: [database("b", { region: "eu-west-2", publiclyAccessible: true })],
        }),
      ],
    });

    expect(evaluateAll([])).toEqual([]);
    expect(
      check
        .evaluate(snap, context())
        .map((o) => `${o.status} ${o.resource.region}/${o.resource.name}`),
    ).toEqual(["PASS us-east-1/a", "FAIL eu-west-2/b"]);
  });
});
