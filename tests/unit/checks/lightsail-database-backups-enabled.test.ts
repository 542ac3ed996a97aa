import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-database-backups-enabled";
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

describe("lightsail-database-backups-enabled", () => {
  it("passes a database with automated backups on", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Database "wp-db" has automated backups on (daily, with point-in-time restore).',
    );
    expect(outcome.resource.type).toBe("LightsailDatabase");
  });

  it("fails a database with automated backups off", () => {
    const outcome = evaluateOne({ backupRetentionEnabled: false });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain('Database "wp-db" has automated backups off');
    expect(outcome.message).not.toContain("pending");
  });

  it("still fails backups off with a pending change turning them on, and says so", () => {
    const outcome = evaluateOne({
      backupRetentionEnabled: false,
      pendingBackupRetentionEnabled: true,
    });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("A change to turn them on is pending");
  });

  it("fails backups that a pending change is about to turn off", () => {
    const outcome = evaluateOne({
      backupRetentionEnabled: true,
      pendingBackupRetentionEnabled: false,
    });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("a pending change turns them off");
  });

  it("passes backups on with a pending change that keeps them on", () => {
    expect(evaluateOne({ pendingBackupRetentionEnabled: true }).status).toBe("PASS");
  });

  it("is ERROR, never PASS, when backupRetentionEnabled is missing (optional in the model)", () => {
    const outcome = evaluateOne({ backupRetentionEnabled: undefined });

    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toContain("no backupRetentionEnabled");
  });

  it("is ERROR for a region whose databases could not be listed", () => {
    const outcomes = evaluateAll(null);

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.resource).toEqual({
      type: "LightsailRegion",
      name: REGION,
      arn: "",
      region: REGION,
    });
    expect(outcomes[0]?.message).toContain("whether they have automated backups is unknown");
  });

  it("gives one result per database, and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([database("a"), database("b", { backupRetentionEnabled: false })]).map(
        (o) => o.status,
      ),
    ).toEqual(["PASS", "FAIL"]);
  });
});
