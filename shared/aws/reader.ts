/** The AccountReader over real SDK clients. */
import type { AccountReader } from "../collect/reader";
import { MalformedResponseError } from "../errors";
import { type AwsClients, type ClientOptions, createAwsClients } from "./clients";
import * as iam from "./iam";
import { getAwsIpRanges } from "./ip-ranges";
import * as lightsail from "./lightsail";
import { GLOBAL_REGION } from "./regions";
import * as ssm from "./ssm";
import { getCallerIdentity } from "./sts";

export interface ReaderOptions extends ClientOptions {
  credentialReport?: iam.CredentialReportOptions;
}

export function createAccountReader(
  options: ReaderOptions = {},
  clients: AwsClients = createAwsClients(options),
): AccountReader {
  return readable({
    getCallerIdentity: () => getCallerIdentity(clients.sts),
    getCredentialReportCsv: () => iam.getCredentialReportCsv(clients.iam, options.credentialReport),
    getAccountSummary: () => iam.getAccountSummary(clients.iam),
    listRootVirtualMfaSerials: () => iam.listRootVirtualMfaSerials(clients.iam),
    listAdminGroups: () => iam.listAdminGroups(clients.iam),
    getInstances: (region) => lightsail.getInstances(clients.lightsail(region), region),
    getLoadBalancers: (region) => lightsail.getLoadBalancers(clients.lightsail(region), region),
    getLoadBalancerCertificates: (region, name) =>
      lightsail.getLoadBalancerCertificates(clients.lightsail(region), name),
    getLoadBalancerTlsPolicies: (region) =>
      lightsail.getLoadBalancerTlsPolicies(clients.lightsail(region)),
    getStaticIps: (region) => lightsail.getStaticIps(clients.lightsail(region), region),
    getRelationalDatabases: (region) =>
      lightsail.getRelationalDatabases(clients.lightsail(region), region),
    getBuckets: (region) => lightsail.getBuckets(clients.lightsail(region), region),
    getBucketAccessKeys: (region, bucketName) =>
      lightsail.getBucketAccessKeys(clients.lightsail(region), bucketName),
    getDistributions: () => lightsail.getDistributions(clients.lightsail(GLOBAL_REGION)),
    getCertificates: () => lightsail.getCertificates(clients.lightsail(GLOBAL_REGION)),
    getDomains: () => lightsail.getDomains(clients.lightsail(GLOBAL_REGION)),
    getAwsIpRanges: (url) => getAwsIpRanges(url),
    getManagedNodes: (region) => ssm.getManagedNodes(clients.ssm(region), region),
    getCommandRuns: (region, documentName, since, stepName) =>
      ssm.getCommandRuns(clients.ssm(region), documentName, since, stepName),
    getCommandOutput: (region, commandId, instanceId, stepName) =>
      ssm
        .getCommandInvocation(clients.ssm(region), commandId, instanceId, stepName)
        .then((r) => r.output),
  });
}

/**
 * A TypeError here comes from a response of the wrong shape (a list that is an object, say),
 * thrown by the SDK or by the adapter mapping it: say that, not "(t ?? []).map is not a function".
 */
function readable(reader: AccountReader): AccountReader {
  const wrapped = Object.entries(reader).map(([name, fn]) => [
    name,
    (...args: unknown[]) =>
      (fn as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
        // Node's own TypeErrors (ERR_INVALID_URL, ...) are about the request, not the response.
        if (!(err instanceof TypeError) || "code" in err) throw err;
        throw new MalformedResponseError(
          "AWS sent a response that is not in the shape its API documents",
          { cause: err },
        );
      }),
  ]);
  return Object.fromEntries(wrapped) as unknown as AccountReader;
}
