/**
 * One result per bucket (GetBuckets, every region), judged on its access rules (botocore
 * lightsail 2016-11-28 `AccessRules`):
 * - `getObject` = `public`: every object is readable by anyone, whatever `allowPublicOverrides`
 *   says: FAIL, unless the response's `accountLevelBpaSync.bpaImpactsLightsail` is true (S3
 *   account-level block public access then keeps every Lightsail bucket private): PASS, saying so.
 * - `getObject` = `private`: PASS. With `allowPublicOverrides` true, single objects may still be
 *   made public with a public-read ACL (the usual WordPress media-offload setup); object ACLs are
 *   not read (no call per object), so the message says that objects may be public.
 * - anything else (missing rules, an unknown value): ERROR, never PASS.
 * A media bucket that is meant to be public is muted with a suppression and its reason.
 */
import { defineCheck, type LightsailBucket, type Outcome } from "../model";
import { bucketRef, eachBucket, joinList } from "./lib/resources";

function who(b: LightsailBucket): string {
  const parts: string[] = [];
  if (b.resourcesReceivingAccess.length > 0) {
    parts.push(`instances ${joinList(b.resourcesReceivingAccess.map((n) => `"${n}"`))}`);
  }
  if (b.readonlyAccessAccounts.length > 0) {
    parts.push(`read-only AWS accounts ${joinList(b.readonlyAccessAccounts)}`);
  }
  return parts.length > 0 ? ` Also given access: ${parts.join("; ")}.` : "";
}

function evaluateBucket(b: LightsailBucket): Outcome {
  const resource = bucketRef(b);
  const name = `Bucket "${b.name}"`;
  const access = b.getObject?.trim().toLowerCase();
  if (access === "public") {
    if (b.accountBlockPublicAccess === true) {
      return {
        status: "PASS",
        resource,
        message: `${name} is set to public (getObject = public), but S3 account-level block public access applies to the account's Lightsail buckets, so nothing in it is public. It becomes public if that block is lifted: set it to private.${who(b)}`,
      };
    }
    return {
      status: "FAIL",
      resource,
      message: `${name} is public (getObject = public): anyone who knows or guesses an object's URL${b.url ? ` under ${b.url}` : ""} can read every object in it, backups and exports included. If it only holds media meant for visitors, mute this finding with that reason.${who(b)}`,
    };
  }
  if (access === "private") {
    const overrides =
      b.allowPublicOverrides === true
        ? " Individual objects can still be made public with a public-read ACL (allowPublicOverrides = true), as media-offload plugins do; which ones are is not checked."
        : "";
    return {
      status: "PASS",
      resource,
      message: `${name} is private (getObject = private).${overrides}${who(b)}`,
    };
  }
  return {
    status: "ERROR",
    resource,
    message:
      b.getObject === undefined
        ? `GetBuckets did not report the access rules of bucket "${b.name}" (no accessRules.getObject), so whether it is public is unknown.`
        : `Bucket "${b.name}" reports an unknown access setting (getObject = "${b.getObject}"), so whether it is public is unknown.`,
  };
}

export default defineCheck({
  id: "lightsail-bucket-not-public",
  title: "Bucket is not readable by everyone",
  severity: "high",
  risk:
    "A bucket set to public lets anyone on the internet read every object in it. WordPress owners put more than media there: database exports, backups, invoices and form uploads end up in the same bucket, and object names are easy to guess or find in page source. " +
    "A bucket that only serves the site's images is fine public, but that should be a decision (mute the finding with the reason), not the default.",
  remediation: {
    summary:
      "Set the bucket's access to private; if the site's media must be public, keep the bucket private and make only the media objects public (individual object access), or serve them through a distribution.",
    steps: [
      "In the Lightsail console open Storage > <bucket-name> > Permissions.",
      "Under Bucket access permissions, choose All objects are private.",
      "If WordPress serves media from the bucket, choose Individual objects can be made public and read-only instead, and let the media plugin mark only media objects public; or put a Lightsail distribution in front of the bucket.",
      "If the bucket is meant to be fully public (media only), add a suppression for this finding with that reason.",
    ],
    cli: "aws lightsail update-bucket --region <region> --bucket-name <bucket-name> --access-rules getObject=private,allowPublicOverrides=false",
    console: "Lightsail > Storage > <bucket-name> > Permissions > Bucket access permissions",
  },
  reads: ["buckets"],
  evaluate(snapshot): Outcome[] {
    return eachBucket(snapshot, "whether they are public is unknown", evaluateBucket);
  },
});
