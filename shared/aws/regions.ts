/**
 * Regions where Lightsail has an endpoint (botocore endpoints.json, 19 regions). `us-west-1` is in
 * the RegionName enum but has no endpoint, so never loop over the enum.
 */
export const LIGHTSAIL_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "eu-south-2",
  "ap-east-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-5",
] as const;
export type LightsailRegion = (typeof LIGHTSAIL_REGIONS)[number];

/** Disabled by default; a call there fails until the owner opts in. */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  "ap-east-1",
  "ap-southeast-3",
  "ap-southeast-5",
  "eu-south-2",
]);

/** Global Lightsail resources (distributions, their certificates) live here only. */
export const GLOBAL_REGION = "us-east-1";

/**
 * What an AWS region name looks like: the `regionRegex` of each partition in botocore's
 * `data/partitions.json` (botocore 1.43.11; the SDK's @aws-sdk/util-endpoints carries the same
 * data). A pattern rather than the partitions' region lists, so a region AWS opens later is not
 * refused; it cannot tell whether the region exists, only that the name is one AWS could use.
 */
const REGION_NAME_PATTERNS = [
  /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, // aws
  /^cn-\w+-\d+$/, // aws-cn
  /^eusc-(de)-\w+-\d+$/, // aws-eusc
  /^us-iso-\w+-\d+$/, // aws-iso
  /^us-isob-\w+-\d+$/, // aws-iso-b
  /^eu-isoe-\w+-\d+$/, // aws-iso-e
  /^us-isof-\w+-\d+$/, // aws-iso-f
  /^us-gov-\w+-\d+$/, // aws-us-gov
] as const;

/** True when `name` has the form of a region name of some AWS partition (us-east-1, cn-north-1...). */
export const isRegionName = (name: string) => REGION_NAME_PATTERNS.some((p) => p.test(name));
