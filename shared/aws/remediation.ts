/** The fixes' AWS side: Lightsail reads and writes over the SDK, and the change records. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { LightsailFixer, RemediationDeps } from "../remediation/act";
import { createChangeStore } from "./change-store";
import { type AwsClients, createAwsClients, createRequestHandler } from "./clients";
import * as lightsail from "./lightsail";

export function createLightsailFixer(clients: AwsClients): LightsailFixer {
  return {
    getInstancePorts: async (region, name) =>
      (await lightsail.getInstance(clients.lightsail(region), region, name)).ports,
    getLoadBalancer: async (region, name) =>
      (await lightsail.getLoadBalancers(clients.lightsail(region), region)).find(
        (lb) => lb.name === name,
      ),
    openInstancePublicPorts: (region, name, rule) =>
      lightsail.openInstancePublicPorts(clients.lightsail(region), name, rule),
    closeInstancePublicPorts: (region, name, rule) =>
      lightsail.closeInstancePublicPorts(clients.lightsail(region), name, rule),
    updateLoadBalancerAttribute: (region, name, attribute, value) =>
      lightsail.updateLoadBalancerAttribute(clients.lightsail(region), name, attribute, value),
  };
}

/** Everything applying or undoing fixes needs; changes are recorded in `stateTable`. */
export function createRemediationDeps(
  stateTable: string,
  clients: AwsClients = createAwsClients(),
): Pick<RemediationDeps, "lightsail" | "changes"> {
  return {
    lightsail: createLightsailFixer(clients),
    changes: createChangeStore(
      new DynamoDBClient({ requestHandler: createRequestHandler() }),
      stateTable,
    ),
  };
}
