import { describe, expect, it } from "vitest";
import check, { OVERDUE_DAYS } from "../../../shared/checks/lightsail-database-minor-upgrades-on";
import type { LightsailDatabase, Outcome } from "../../../shared/model";
import { context, database, daysBeforeNow, REGION, region, snapshot } from "../../helpers/snapshot";

function evaluateAll(databases: LightsailDatabase[] | null): Outcome[] {
  return check.evaluate(snapshot({ lightsail: [region(REGION, { databases })] }), context());
}

function evaluateOne(overrides: Partial<LightsailDatabase>): Outcome {
  const outcomes = evaluateAll([database("wp-db", overrides)]);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

const upgrade = (dueDaysAgo: number | undefined) => ({
  action: "db-upgrade",
  description: "Automatic minor version upgrade to 8.0.40",
  ...(dueDaysAgo !== undefined && { currentApplyDate: daysBeforeNow(dueDaysAgo) }),
});

describe("lightsail-database-minor-upgrades-on", () => {
  it("passes a database with nothing pending", () => {
    const outcome = evaluateOne({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Database "wp-db" (mysql 8.0.35) has no pending maintenance: its minor upgrades are applied.',
    );
  });

  it(`fails an upgrade still pending more than ${OVERDUE_DAYS} days after its date`, () => {
    const outcome = evaluateOne({ pendingMaintenanceActions: [upgrade(OVERDUE_DAYS + 1)] });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      'Database "wp-db" (mysql 8.0.35) has maintenance pending for more than 30 days: db-upgrade (Automatic minor version upgrade to 8.0.40), due 2026-07-01 12:00 UTC.',
    );
  });

  it("passes an upgrade due soon, or due only recently, naming it", () => {
    for (const days of [-7, 0, OVERDUE_DAYS - 1]) {
      const outcome = evaluateOne({ pendingMaintenanceActions: [upgrade(days)] });
      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("has maintenance pending, not overdue: db-upgrade");
    }
  });

  it("names an action without a date but does not judge it", () => {
    const outcome = evaluateOne({ pendingMaintenanceActions: [upgrade(undefined)] });

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain(
      "not overdue: db-upgrade (Automatic minor version upgrade to 8.0.40).",
    );
  });

  it("is ERROR for a region whose databases could not be listed", () => {
    const outcomes = evaluateAll(null);

    expect(outcomes.map((o) => o.status)).toEqual(["ERROR"]);
    expect(outcomes[0]?.message).toContain("whether their maintenance is applied is unknown");
  });
});
