/**
 * One result per managed database (GetRelationalDatabases, every region): FAIL when
 * `backupRetentionEnabled` is false (automated backups off), PASS when true. A pending change
 * (`pendingModifiedValues.backupRetentionEnabled`): one turning backups on is named but the
 * database still FAILs (no backups until it is applied); one turning them off FAILs a database
 * whose backups are still on (they are about to stop). ERROR when the field is missing (botocore marks it
 * optional) or the region's databases could not be listed.
 */
import { defineCheck, type LightsailDatabase, type Outcome } from "../model";
import { databaseRef, eachDatabase } from "./lib/resources";

function evaluateDatabase(db: LightsailDatabase): Outcome {
  const resource = databaseRef(db);
  const name = `Database "${db.name}"`;
  if (db.backupRetentionEnabled === true) {
    if (db.pendingBackupRetentionEnabled === false) {
      return {
        status: "FAIL",
        resource,
        message: `${name} has automated backups on, but a pending change turns them off at the next maintenance window: after that there is no recent copy of the site's content to restore.`,
      };
    }
    return {
      status: "PASS",
      resource,
      message: `${name} has automated backups on (daily, with point-in-time restore).`,
    };
  }
  if (db.backupRetentionEnabled === false) {
    const pending =
      db.pendingBackupRetentionEnabled === true
        ? " A change to turn them on is pending and takes effect at the next maintenance window (or apply it immediately)."
        : "";
    return {
      status: "FAIL",
      resource,
      message: `${name} has automated backups off: if the database is corrupted, hacked or deleted, there is no recent copy of the site's content to restore.${pending}`,
    };
  }
  return {
    status: "ERROR",
    resource,
    message: `GetRelationalDatabases did not say whether database "${db.name}" has automated backups (no backupRetentionEnabled).`,
  };
}

export default defineCheck({
  id: "lightsail-database-backups-enabled",
  title: "Managed database has automated backups",
  severity: "medium",
  risk:
    "Without automated backups, a bad plugin update, an attacker emptying tables or an accidental delete loses the WordPress content for good: posts, pages, users and orders live in the database, not on the instance. " +
    "With them on, Lightsail keeps daily backups and lets you restore the database to any point in the last seven days.",
  remediation: {
    summary: "Turn on automated backups for the database, applied immediately.",
    steps: [
      "In the Lightsail console open Databases > <database-name> > Backups & restore.",
      "Turn on Automated backups and pick a backup window when the site is quiet.",
      "Check the next day that a restore point appears; from time to time, restore one to a new database to make sure it works.",
    ],
    cli: "aws lightsail update-relational-database --region <region> --relational-database-name <database-name> --enable-backup-retention --apply-immediately",
    console: "Lightsail > Databases > <database-name> > Backups & restore",
  },
  reads: ["databases"],
  evaluate(snapshot): Outcome[] {
    return eachDatabase(
      snapshot,
      "whether they have automated backups is unknown",
      evaluateDatabase,
    );
  },
});
