/**
 * What the collector needs from AWS, as an interface: the SDK adapters in shared/aws implement
 * it, tests may implement it with plain data. Every method throws the SDK's error unchanged.
 */
import type {
  AwsIpRanges,
  BucketAccessKey,
  IamAdminGroup,
  LightsailBucket,
  LightsailCertificate,
  LightsailDatabase,
  LightsailDistribution,
  LightsailDomain,
  LightsailInstance,
  LightsailLoadBalancer,
  LightsailStaticIp,
  LoadBalancerCertificate,
  LoadBalancerTlsPolicy,
  ManagedNode,
} from "../model";
import type { CommandRun } from "../patching/result";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  partition: string;
}

export interface AccountReader {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** The credential report CSV text, generating it first and waiting while it is in progress. */
  getCredentialReportCsv(): Promise<string>;
  getAccountSummary(): Promise<Record<string, number>>;
  /** Serial numbers of assigned virtual MFA devices whose user is root. */
  listRootVirtualMfaSerials(): Promise<string[]>;
  /** IAM groups with the AWS managed AdministratorAccess policy attached, with their members. */
  listAdminGroups(): Promise<IamAdminGroup[]>;
  /** All instances of a region (all pages); `certificates` of load balancers are left null. */
  getInstances(region: string): Promise<LightsailInstance[]>;
  getLoadBalancers(region: string): Promise<LightsailLoadBalancer[]>;
  getLoadBalancerCertificates(region: string, name: string): Promise<LoadBalancerCertificate[]>;
  /** The TLS security policies load balancers of a region may use (all pages). */
  getLoadBalancerTlsPolicies(region: string): Promise<LoadBalancerTlsPolicy[]>;
  /** The region's static IPs (all pages). */
  getStaticIps(region: string): Promise<LightsailStaticIp[]>;
  /** The region's managed databases (all pages). */
  getRelationalDatabases(region: string): Promise<LightsailDatabase[]>;
  /** The region's buckets (all pages), with the instances given access. */
  getBuckets(region: string): Promise<LightsailBucket[]>;
  /** One bucket's access keys (secrets never included). */
  getBucketAccessKeys(region: string, bucketName: string): Promise<BucketAccessKey[]>;
  /** Global resources, served by us-east-1 only. */
  getDistributions(): Promise<LightsailDistribution[]>;
  getCertificates(): Promise<LightsailCertificate[]>;
  /** Lightsail DNS zones with their records (us-east-1, all pages). */
  getDomains(): Promise<LightsailDomain[]>;
  /** AWS's published EC2 address ranges, read from `url` (ip-ranges.json). */
  getAwsIpRanges(url: string): Promise<AwsIpRanges>;
  /** The region's hybrid SSM nodes (all pages), each with its tags when it has `lightsail:instance`. */
  getManagedNodes(region: string): Promise<ManagedNode[]>;
  /** Every run of the document in the region requested after `since`, with its step's output. */
  getCommandRuns(
    region: string,
    documentName: string,
    since: Date,
    stepName: string,
  ): Promise<CommandRun[]>;
  /** One invocation's standard output, whole (GetCommandInvocation: up to 24,000 characters). */
  getCommandOutput(
    region: string,
    commandId: string,
    instanceId: string,
    stepName: string,
  ): Promise<string>;
}
