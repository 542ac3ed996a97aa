/**
 * One result per managed database (GetRelationalDatabases, every region): FAIL when
 * `publiclyAccessible` is true (public mode: its endpoint accepts connections from the internet),
 * PASS when it is false. ERROR when the field is missing (botocore marks it optional) or the
 * region's databases could not be listed. Judged on its own: which instance uses it is not known.
 */
import { defineCheck, type LightsailDatabase, type Outcome } from "../model";
import { databaseRef, eachDatabase } from "./lib/resources";

function evaluateDatabase(db: LightsailDatabase): Outcome {
  const resource = databaseRef(db);
  const name = `Database "${db.name}"`;
  if (db.publiclyAccessible === true) {
    const endpoint = db.endpointAddress
      ? ` at ${db.endpointAddress}${db.endpointPort ? `:${db.endpointPort}` : ""}`
      : "";
    return {
      status: "FAIL",
      resource,
      message: `${name} is in public mode: anyone on the internet can reach its endpoint${endpoint} and try passwords against it, and only the password protects the site's data. Lightsail instances in the same region reach it without public mode.`,
    };
  }
  if (db.publiclyAccessible === false) {
    return {
      status: "PASS",
      resource,
      message: `${name} is private: only Lightsail resources in its region can connect to it.`,
    };
  }
  return {
    status: "ERROR",
    resource,
    message: `GetRelationalDatabases did not say whether database "${db.name}" is in public mode (no publiclyAccessible).`,
  };
}

export default defineCheck({
  id: "lightsail-database-not-public",
  title: "Managed database is not reachable from the internet",
  severity: "high",
  risk:
    "A managed database in public mode answers connections from anywhere on the internet: the WordPress database (users, password hashes, orders, every post) is then protected by its password alone, against endless guessing and any flaw in the database server. " +
    "WordPress on a Lightsail instance in the same region connects over the private network and does not need public mode.",
  remediation: {
    summary:
      "Turn off public mode on the database; connect from outside (for an import or a desktop client) through an SSH tunnel via an instance instead.",
    steps: [
      "In the Lightsail console open Databases > <database-name> > Networking.",
      "Under Public mode, switch it off and confirm.",
      "Check that the site still works: a WordPress instance in the same region keeps connecting over the private network. If a service outside Lightsail needed the public endpoint, give it an SSH tunnel through the instance instead.",
    ],
    cli: "aws lightsail update-relational-database --region <region> --relational-database-name <database-name> --no-publicly-accessible --apply-immediately",
    console: "Lightsail > Databases > <database-name> > Networking > Public mode",
  },
  reads: ["databases"],
  evaluate(snapshot): Outcome[] {
    return eachDatabase(
      snapshot,
      "whether they are reachable from the internet is unknown",
      evaluateDatabase,
    );
  },
});
