/**
 * One result per managed database (GetRelationalDatabases, every region): FAIL when one of its
 * `pendingMaintenanceActions` (botocore lightsail 2016-11-28 `PendingMaintenanceAction`: action,
 * description, currentApplyDate = "the effective date of the pending database maintenance
 * action") was due more than OVERDUE_DAYS days before `ctx.now` and is still pending: the engine's
 * minor upgrades and security patches are not being applied. PASS when nothing is pending, or
 * when every pending action is due later or only recently (the next maintenance window applies
 * it); an action without a date is named but not judged. ERROR when the region's databases could
 * not be listed.
 */
import { defineCheck, type LightsailDatabase, type Outcome } from "../model";
import { databaseRef, eachDatabase, formatUtc, joinList } from "./lib/resources";

/** A week of maintenance windows plus slack: past this, the action is not being applied. */
export const OVERDUE_DAYS = 30;
const DAY_MS = 86_400_000;

function evaluateDatabase(db: LightsailDatabase, now: number): Outcome {
  const resource = databaseRef(db);
  const name = `Database "${db.name}"${db.engineVersion ? ` (${db.engine ?? "engine"} ${db.engineVersion})` : ""}`;
  const describe = (a: LightsailDatabase["pendingMaintenanceActions"][number]) =>
    `${a.action ?? "maintenance"}${a.description ? ` (${a.description})` : ""}`;
  const overdue = db.pendingMaintenanceActions.filter((a) => {
    const due = a.currentApplyDate ? Date.parse(a.currentApplyDate) : Number.NaN;
    return !Number.isNaN(due) && now - due > OVERDUE_DAYS * DAY_MS;
  });
  if (overdue.length > 0) {
    const items = overdue.map((a) => `${describe(a)}, due ${formatUtc(a.currentApplyDate ?? "")}`);
    return {
      status: "FAIL",
      resource,
      message: `${name} has maintenance pending for more than ${OVERDUE_DAYS} days: ${joinList(items)}. Minor version upgrades and security patches of the database engine are not being applied.`,
    };
  }
  const pending = db.pendingMaintenanceActions.map((a) =>
    a.currentApplyDate ? `${describe(a)}, due ${formatUtc(a.currentApplyDate)}` : describe(a),
  );
  return {
    status: "PASS",
    resource,
    message:
      pending.length === 0
        ? `${name} has no pending maintenance: its minor upgrades are applied.`
        : `${name} has maintenance pending, not overdue: ${joinList(pending)}.`,
  };
}

export default defineCheck({
  id: "lightsail-database-minor-upgrades-on",
  title: "Managed database maintenance and minor upgrades are applied",
  severity: "low",
  risk:
    "Lightsail applies the database engine's minor version upgrades and security patches as maintenance actions in the database's weekly maintenance window. " +
    "An action that stays pending long after its date leaves the WordPress database on an engine version with known, fixed vulnerabilities.",
  remediation: {
    summary:
      "Let the pending maintenance run: the database must be running during its maintenance window, and the window must be one Lightsail can use.",
    steps: [
      "In the Lightsail console open Databases > <database-name> and read the pending maintenance shown there.",
      "If the database is stopped, start it: maintenance waits while it is stopped (Lightsail has no call to apply it by hand).",
      "Check the preferred maintenance window (a time the database may restart for a few minutes) and, if it keeps being missed, choose another.",
      "Take a manual snapshot first if automated backups are off.",
    ],
    cli:
      "aws lightsail get-relational-database --region <region> --relational-database-name <database-name> --query 'relationalDatabase.pendingMaintenanceActions'   # then: " +
      "aws lightsail update-relational-database --region <region> --relational-database-name <database-name> --preferred-maintenance-window <ddd:hh24:mi-ddd:hh24:mi> --apply-immediately",
    console: "Lightsail > Databases > <database-name>",
  },
  reads: ["databases"],
  evaluate(snapshot, ctx): Outcome[] {
    const now = Date.parse(ctx.now);
    if (Number.isNaN(now)) throw new Error(`ctx.now is not an ISO date: "${ctx.now}"`);
    return eachDatabase(snapshot, "whether their maintenance is applied is unknown", (db) =>
      evaluateDatabase(db, now),
    );
  },
});
