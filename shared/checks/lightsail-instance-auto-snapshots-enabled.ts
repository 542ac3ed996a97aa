/**
 * One result per instance: FAIL unless its `addOns` hold an `AutoSnapshot` add-on whose status is
 * `Enabled` (both compared case-insensitively). Any other status, `Enabling` included, fails with
 * that status named: only an enabled add-on takes the daily snapshot. ERROR for a region whose
 * instances could not be listed.
 */
import { defineCheck, type LightsailInstance, type Outcome } from "../model";
import { eachInstance, instanceRef } from "./lib/resources";

function evaluateInstance(instance: LightsailInstance): Outcome {
  const resource = instanceRef(instance);
  const name = `Instance "${instance.name}"`;
  const addOn = instance.addOns.find((a) => a.name?.trim().toLowerCase() === "autosnapshot");
  if (addOn?.status?.trim().toLowerCase() === "enabled") {
    return {
      status: "PASS",
      resource,
      message: `${name} has automatic daily snapshots enabled.`,
    };
  }
  return {
    status: "FAIL",
    resource,
    message:
      addOn === undefined
        ? `${name} has no automatic snapshots: if the server is broken, hacked or deleted, there is no recent copy to restore the site from.`
        : `${name}'s automatic snapshot add-on is ${addOn.status ?? "in an unreported state"}, not Enabled, so no daily snapshot is being taken.`,
  };
}

export default defineCheck({
  id: "lightsail-instance-auto-snapshots-enabled",
  title: "Instance takes automatic daily snapshots",
  severity: "medium",
  risk:
    "Without automatic snapshots, a hacked site, a failed update, a deleted instance or a corrupted disk can mean losing the site and its content for good. " +
    "Lightsail keeps the last seven daily snapshots, which lets you roll back to a copy from before the problem.",
  remediation: {
    summary: "Enable automatic snapshots on the instance (a daily snapshot at a time you choose).",
    steps: [
      "In the Lightsail console open Instances > <instance-name> > Snapshots.",
      "Under Automatic snapshots, switch them on and pick a time of day (UTC) when the site is quiet.",
      "Check the next day that an automatic snapshot appears; restore one from time to time to a new instance to make sure it works.",
    ],
    cli: "aws lightsail enable-add-on --region <region> --resource-name <instance-name> --add-on-request 'addOnType=AutoSnapshot,autoSnapshotAddOnRequest={snapshotTimeOfDay=06:00}'",
    console: "Lightsail > Instances > <instance-name> > Snapshots > Automatic snapshots",
  },
  reads: ["instances"],
  evaluate(snapshot): Outcome[] {
    return eachInstance(
      snapshot,
      "whether they take automatic snapshots is unknown",
      evaluateInstance,
    );
  },
});
