/**
 * One result per bucket (GetBuckets, then GetBucketAccessKeys per bucket, every region): FAIL when
 * an `Active` access key was created more than MAX_KEY_AGE_DAYS (90) days before `ctx.now`;
 * PASS when every active key is younger, or the bucket has none. `Inactive` keys sign nothing and
 * are not judged. ERROR when the region's buckets or this bucket's keys could not be read, or an
 * active key has no readable `createdAt` (botocore `AccessKey` marks every member optional).
 */
import type { BucketAccessKey, LightsailBucket, Outcome } from "../model";
import { defineCheck } from "../model";
import { bucketRef, eachBucket, failureDetail, formatUtc, joinList } from "./lib/resources";

/** Keys older than this many days fail (the issue's default; the same as AWS's IAM guidance). */
export const MAX_KEY_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

function evaluateBucket(
  snapshot: Parameters<typeof failureDetail>[0],
  b: LightsailBucket,
  now: number,
): Outcome {
  const resource = bucketRef(b);
  const name = `Bucket "${b.name}"`;
  if (b.accessKeys === null) {
    const detail = failureDetail(snapshot, {
      source: "lightsail",
      region: b.region,
      operation: "GetBucketAccessKeys",
      resource: b.name,
    });
    return {
      status: "ERROR",
      resource,
      message: `The access keys of bucket "${b.name}" could not be read${detail}, so whether they are rotated is unknown.`,
    };
  }
  const active = b.accessKeys.filter((k) => k.status?.trim().toLowerCase() === "active");
  const age = (k: BucketAccessKey) =>
    k.createdAt === undefined ? Number.NaN : Math.floor((now - Date.parse(k.createdAt)) / DAY_MS);
  const undated = active.filter((k) => Number.isNaN(age(k)));
  const old = active.filter((k) => age(k) > MAX_KEY_AGE_DAYS);
  if (old.length > 0) {
    const described = old.map(
      (k) =>
        `${k.accessKeyId} (created ${formatUtc(k.createdAt as string)}, ${age(k)} days ago; ${k.lastUsedDate ? `last used ${formatUtc(k.lastUsedDate)}` : "never used"})`,
    );
    return {
      status: "FAIL",
      resource,
      message: `${name} has ${old.length === 1 ? "an active access key" : "active access keys"} older than ${MAX_KEY_AGE_DAYS} days: ${joinList(described)}. A key that old has had time to be copied into plugins, backups and laptops; create a new one, update the site, then delete the old one.`,
    };
  }
  if (undated.length > 0) {
    return {
      status: "ERROR",
      resource,
      message: `GetBucketAccessKeys sent no creation date for active key ${joinList(undated.map((k) => k.accessKeyId))} of bucket "${b.name}", so its age is unknown.`,
    };
  }
  return {
    status: "PASS",
    resource,
    message:
      active.length === 0
        ? `${name} has no active access keys.`
        : `${name}'s active access ${active.length === 1 ? "key is" : "keys are"} at most ${Math.max(...active.map(age))} days old (limit ${MAX_KEY_AGE_DAYS}).`,
  };
}

export default defineCheck({
  id: "lightsail-bucket-access-keys-rotated",
  title: "Bucket access keys are rotated",
  severity: "medium",
  risk:
    "A bucket access key gives read and write access to every object in the bucket to whoever holds it. WordPress media plugins keep it in the database or wp-config.php, so it travels with every backup, staging copy and site migration; the older it is, the more copies exist. " +
    "Rotating it regularly limits how long a leaked copy works.",
  remediation: {
    summary:
      "Create a new access key for the bucket, put it in the site (the media plugin's settings or wp-config.php), check that uploads work, then delete the old key.",
    steps: [
      "In the Lightsail console open Storage > <bucket-name> > Permissions > Access keys.",
      "Choose Create access key and copy the secret now (it is shown only once). A bucket has at most two keys: delete an unused one first if needed.",
      "Replace the old key in the WordPress plugin or wp-config.php that uses it, and upload a test image.",
      "Delete the old access key.",
    ],
    cli:
      "aws lightsail create-bucket-access-key --region <region> --bucket-name <bucket-name>   # then, once the site uses the new key: " +
      "aws lightsail delete-bucket-access-key --region <region> --bucket-name <bucket-name> --access-key-id <old-access-key-id>",
    console: "Lightsail > Storage > <bucket-name> > Permissions > Access keys",
  },
  reads: ["buckets", "bucketAccessKeys"],
  evaluate(snapshot, ctx): Outcome[] {
    const now = Date.parse(ctx.now);
    if (Number.isNaN(now)) throw new Error(`ctx.now is not an ISO date: "${ctx.now}"`);
    return eachBucket(snapshot, "whether their access keys are rotated is unknown", (b) =>
      evaluateBucket(snapshot, b, now),
    );
  },
});
