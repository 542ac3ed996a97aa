/** The AccountReader over real SDK clients. */
import type { AccountReader } from "../collect/reader";
import { type AwsClients, type ClientOptions, createAwsClients } from "./clients";
import * as iam from "./iam";
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
  return {
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
    getDistributions: () => lightsail.getDistributions(clients.lightsail(GLOBAL_REGION)),
    getCertificates: () => lightsail.getCertificates(clients.lightsail(GLOBAL_REGION)),
    getManagedNodes: (region) => ssm.getManagedNodes(clients.ssm(region), region),
    getCommandRuns: (region, documentName, since, stepName) =>
      ssm.getCommandRuns(clients.ssm(region), documentName, since, stepName),
  };
}
