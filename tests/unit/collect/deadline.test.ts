import { describe, expect, it } from "vitest";
import { collectSnapshot, DEADLINE_EXCEEDED } from "../../../shared/collect/snapshot";
import { readerFor } from "../../helpers/reader";
import { instance, port, region, snapshot } from "../../helpers/snapshot";

const facts = snapshot({
  regions: ["us-east-1", "eu-west-2"],
  lightsail: [
    region("us-east-1", { instances: [instance("blog", [port()])] }),
    region("eu-west-2", { instances: [instance("shop", [port()])] }),
  ],
});

describe("collectSnapshot at its deadline", () => {
  it("starts nothing once the deadline has fired: every scope is null and listed, in a stable order", async () => {
    const called: string[] = [];
    const reader = readerFor(facts, {
      getInstances: async (r) => {
        called.push(r);
        return [];
      },
    });
    const deadline = AbortSignal.abort();

    const s = await collectSnapshot(reader, { regions: ["us-east-1", "eu-west-2"], deadline });

    expect(called).toEqual([]);
    const nothing = {
      instances: null,
      loadBalancers: null,
      tlsPolicies: null,
      managedNodes: null,
      patchRuns: null,
      staticIps: null,
      databases: null,
      buckets: null,
      wordpressInventories: null,
    };
    expect(s.lightsail).toEqual([
      { region: "us-east-1", ...nothing },
      { region: "eu-west-2", ...nothing },
    ]);
    expect(s.iam).toEqual({
      credentialReport: null,
      accountSummary: null,
      rootVirtualMfaSerials: null,
      adminGroups: null,
    });
    expect(s.failures.map((f) => `${f.region} ${f.operation} ${f.errorName}`)).toEqual([
      `global GetAccountSummary ${DEADLINE_EXCEEDED}`,
      `global GetCredentialReport ${DEADLINE_EXCEEDED}`,
      `global ListGroups ${DEADLINE_EXCEEDED}`,
      `global ListVirtualMFADevices ${DEADLINE_EXCEEDED}`,
      `us-east-1 DescribeInstanceInformation ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetBuckets ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetCertificates ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetDistributions ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetDomains ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetInstances ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetLoadBalancers ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetLoadBalancerTlsPolicies ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetRelationalDatabases ${DEADLINE_EXCEEDED}`,
      `us-east-1 GetStaticIps ${DEADLINE_EXCEEDED}`,
      `eu-west-2 DescribeInstanceInformation ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetBuckets ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetInstances ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetLoadBalancers ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetLoadBalancerTlsPolicies ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetRelationalDatabases ${DEADLINE_EXCEEDED}`,
      `eu-west-2 GetStaticIps ${DEADLINE_EXCEEDED}`,
    ]);
  });

  it("records a call that the deadline cut short as DeadlineExceeded, not as the abort error", async () => {
    const controller = new AbortController();
    const reader = readerFor(facts, {
      getInstances: async (r) => {
        if (r === "eu-west-2") {
          controller.abort();
          throw Object.assign(new Error("Request aborted"), { name: "AbortError" });
        }
        return [];
      },
    });

    const s = await collectSnapshot(reader, {
      regions: ["us-east-1", "eu-west-2"],
      deadline: controller.signal,
    });

    expect(s.failures).toContainEqual({
      source: "lightsail",
      region: "eu-west-2",
      operation: "GetInstances",
      errorName: DEADLINE_EXCEEDED,
      message: "stopped at the audit's time limit (AbortError)",
    });
  });
});
