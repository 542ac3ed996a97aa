/**
 * One result per bucket (GetBuckets, every region): PASS when `objectVersioning` is `Enabled`,
 * FAIL when it is `Suspended` or `NeverEnabled` (botocore lightsail 2016-11-28 `Bucket`; compared
 * case-insensitively), ERROR when it is missing or another value.
 */
import { defineCheck, type LightsailBucket, type Outcome } from "../model";
import { bucketRef, eachBucket } from "./lib/resources";

function evaluateBucket(b: LightsailBucket): Outcome {
  const resource = bucketRef(b);
  const name = `Bucket "${b.name}"`;
  const versioning = b.objectVersioning?.trim().toLowerCase();
  if (versioning === "enabled") {
    return {
      status: "PASS",
      resource,
      message: `${name} keeps earlier versions of its objects (object versioning Enabled).`,
    };
  }
  if (versioning === "suspended" || versioning === "neverenabled") {
    const detail =
      versioning === "suspended"
        ? "object versioning is Suspended (versions kept so far remain, new changes keep none)"
        : "object versioning was never enabled";
    return {
      status: "FAIL",
      resource,
      message: `${name}: ${detail}, so an overwritten or deleted object (by a plugin, a script or an attacker with its access key) cannot be recovered.`,
    };
  }
  return {
    status: "ERROR",
    resource,
    message:
      b.objectVersioning === undefined
        ? `GetBuckets did not report the object versioning of bucket "${b.name}", so whether deleted objects can be recovered is unknown.`
        : `Bucket "${b.name}" reports an unknown object versioning state "${b.objectVersioning}".`,
  };
}

export default defineCheck({
  id: "lightsail-bucket-versioning-enabled",
  title: "Bucket keeps earlier versions of its objects",
  severity: "low",
  risk:
    "Without object versioning, an object that is overwritten or deleted is gone: a misbehaving media plugin, a sync script run the wrong way or a leaked access key can wipe the site's uploads with no way back. " +
    "Versioning keeps the earlier versions (stored versions count toward the bucket's storage).",
  remediation: {
    summary: "Enable object versioning on the bucket.",
    steps: [
      "In the Lightsail console open Storage > <bucket-name> > Versioning.",
      "Turn on Object versioning.",
      "Restore an earlier version from the object's Versions list when needed; delete old versions you no longer want to keep storage in check.",
    ],
    cli: "aws lightsail update-bucket --region <region> --bucket-name <bucket-name> --versioning Enabled",
    console: "Lightsail > Storage > <bucket-name> > Versioning",
  },
  reads: ["buckets"],
  evaluate(snapshot): Outcome[] {
    return eachBucket(snapshot, "whether they keep object versions is unknown", evaluateBucket);
  },
});
