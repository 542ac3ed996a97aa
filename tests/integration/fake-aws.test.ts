/**
 * Fidelity of the local AWS fake: the real SDK v3 clients talk HTTP to it and must parse every
 * answer, quirks and errors included, exactly as they would parse AWS's.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetGroupCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupsCommand,
  ListMFADevicesCommand,
  ListRolesCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  paginateListVirtualMFADevices,
} from "@aws-sdk/client-iam";
import {
  CloseInstancePublicPortsCommand,
  GetBundlesCommand,
  GetCertificatesCommand,
  GetDistributionsCommand,
  GetInstanceCommand,
  GetInstancesCommand,
  GetLoadBalancersCommand,
  GetLoadBalancerTlsCertificatesCommand,
  GetLoadBalancerTlsPoliciesCommand,
  GetRegionsCommand,
  type Instance,
  LightsailClient,
  OpenInstancePublicPortsCommand,
  PutInstancePublicPortsCommand,
  UpdateLoadBalancerAttributeCommand,
} from "@aws-sdk/client-lightsail";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  type CommandFilter,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListTagsForResourceCommand,
  paginateDescribeInstanceInformation,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIGHTSAIL_REGIONS } from "../../shared/aws/regions";
import { managedNode } from "../fake-aws/accounts/build";
import { demoAccount } from "../fake-aws/accounts/demo";
import { syntheticAccount } from "../fake-aws/accounts/synthetic";
import type { FaultRule } from "../fake-aws/faults";
import { type FakeAws, startFakeAws } from "../fake-aws/server";

const NOW = new Date("2026-11-25T12:00:00Z");
const DAY_MS = 86_400_000;
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

function clients(fake: FakeAws) {
  const config = (region: string) => ({ region, endpoint: fake.url, credentials, maxAttempts: 1 });
  return {
    lightsail: (region: string) => new LightsailClient(config(region)),
    iam: new IAMClient(config("us-east-1")),
    sts: new STSClient(config("eu-west-2")),
    ssm: new SSMClient(config("us-east-1")),
    sns: new SNSClient(config("us-east-1")),
  };
}

/** The rejection of a call, to assert on its SDK error fields. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & {
      $metadata?: { httpStatusCode?: number };
      Code?: string;
      code?: string;
      tip?: string;
    };
  }
  throw new Error("expected the call to fail");
}

async function allInstances(
  client: LightsailClient,
): Promise<{ instances: Instance[]; pages: number }> {
  const instances: Instance[] = [];
  let pages = 0;
  let pageToken: string | undefined;
  do {
    const page = await client.send(new GetInstancesCommand({ pageToken }));
    instances.push(...(page.instances ?? []));
    pages += 1;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { instances, pages };
}

describe("fake AWS with the demo account", () => {
  let fake: FakeAws;
  let aws: ReturnType<typeof clients>;

  beforeAll(async () => {
    fake = await startFakeAws({ account: demoAccount(NOW), now: () => NOW });
    aws = clients(fake);
  });
  afterAll(() => fake.close());
  afterEach(() => fake.faults.clearFaults());

  it("answers STS GetCallerIdentity with the account and caller", async () => {
    const identity = await aws.sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Account).toBe("123456789012");
    expect(identity.Arn).toBe(fake.account.caller.Arn);
    expect(identity.UserId).toBe(fake.account.caller.UserId);
  });

  it("routes Lightsail calls by the region in the credential scope", async () => {
    fake.resetCalls();

    const east = await aws.lightsail("us-east-1").send(new GetInstancesCommand({}));
    const london = await aws.lightsail("eu-west-2").send(new GetInstancesCommand({}));
    const ohio = await aws.lightsail("us-east-2").send(new GetInstancesCommand({}));

    expect(east.instances?.map((i) => i.name)).toEqual(["wordpress-blog", "wordpress-shop"]);
    expect(london.instances?.map((i) => i.name)).toEqual(["agency-site", "client-staging"]);
    expect(ohio.instances).toEqual([]);
    expect(ohio.nextPageToken).toBeUndefined();
    expect(fake.calls).toEqual([
      { service: "lightsail", operation: "GetInstances", region: "us-east-1" },
      { service: "lightsail", operation: "GetInstances", region: "eu-west-2" },
      { service: "lightsail", operation: "GetInstances", region: "us-east-2" },
    ]);
  });

  it("delivers the firewall quirks through the SDK untouched", async () => {
    const london = await aws.lightsail("eu-west-2").send(new GetInstancesCommand({}));
    const sydney = await aws.lightsail("ap-southeast-2").send(new GetInstancesCommand({}));
    const byName = new Map(
      [...(london.instances ?? []), ...(sydney.instances ?? [])].map((i) => [i.name, i]),
    );

    const allRule = byName.get("agency-site")?.networking?.ports?.[0];
    expect(allRule).toEqual({
      fromPort: 0,
      toPort: 65535,
      protocol: "-1",
      accessFrom: "Anywhere (0.0.0.0/0 and ::/0)",
      accessType: "public",
      commonName: "",
      accessDirection: "inbound",
      cidrs: ["0.0.0.0/0"],
      ipv6Cidrs: ["::/0"],
      cidrListAliases: [],
    });
    const ipv6Only = byName.get("client-staging")?.networking?.ports?.[0];
    expect(ipv6Only).toMatchObject({
      fromPort: 22,
      cidrs: [],
      ipv6Cidrs: ["::/0"],
      accessFrom: "Anywhere (::/0)",
    });
    const legacy = byName.get("legacy-site");
    const legacySsh = legacy?.networking?.ports?.[0];
    expect(legacySsh).toMatchObject({
      fromPort: 22,
      accessFrom: "Anywhere (0.0.0.0/0)",
      accessType: "public",
    });
    expect(legacySsh && "cidrs" in legacySsh).toBe(false);
    expect(legacySsh && "ipv6Cidrs" in legacySsh).toBe(false);
    expect(legacySsh && "cidrListAliases" in legacySsh).toBe(false);
    expect(legacy && "metadataOptions" in legacy).toBe(false);
    expect(byName.get("agency-site")?.arn).toMatch(/:Instance\/[0-9a-f-]{36}$/);
    expect(byName.get("client-staging")?.createdAt).toEqual(new Date(NOW.getTime() - 60 * DAY_MS));
  });

  it("keeps tags without a value and the blog's metadata options", async () => {
    const east = await aws.lightsail("us-east-1").send(new GetInstancesCommand({}));
    const blog = east.instances?.find((i) => i.name === "wordpress-blog");

    expect(blog?.tags).toEqual([
      { key: "wordpress" },
      { key: "site", value: "blog.example.com" },
      { key: "auto-patch", value: "true" },
    ]);
    expect(blog?.metadataOptions?.httpTokens).toBe("required");
    expect(blog?.addOns?.[0]).toMatchObject({ name: "AutoSnapshot", status: "Enabled" });
  });

  it("serves load balancers with string configuration options and their certificates", async () => {
    const client = aws.lightsail("us-east-1");

    const { loadBalancers } = await client.send(new GetLoadBalancersCommand({}));
    const certs = await client.send(
      new GetLoadBalancerTlsCertificatesCommand({ loadBalancerName: "blog-lb" }),
    );
    const missing = await failure(
      client.send(new GetLoadBalancerTlsCertificatesCommand({ loadBalancerName: "nope" })),
    );
    const policies = await client.send(new GetLoadBalancerTlsPoliciesCommand({}));

    const shop = loadBalancers?.find((lb) => lb.name === "shop-lb");
    expect(shop).toMatchObject({
      protocol: "HTTP",
      publicPorts: [80],
      tlsCertificateSummaries: [{ name: "shop-example-com", isAttached: false }],
      configurationOptions: {
        SessionStickinessEnabled: "false",
        SessionStickiness_LB_CookieDurationSeconds: "86400",
      },
      httpsRedirectionEnabled: false,
    });
    expect(loadBalancers?.find((lb) => lb.name === "blog-lb")).toMatchObject({
      protocol: "HTTP_HTTPS",
      publicPorts: [80, 443],
      httpsRedirectionEnabled: true,
      tlsPolicyName: "TLS-2016-08",
    });
    expect(certs.tlsCertificates?.map((c) => [c.name, c.status, c.isAttached])).toEqual([
      ["blog-example-com", "ISSUED", true],
    ]);
    expect(certs.tlsCertificates?.[0]?.notAfter).toEqual(new Date(NOW.getTime() + 200 * DAY_MS));
    expect(missing.name).toBe("NotFoundException");
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect(missing.code).toBe("NotFound");
    expect(missing.tip).toBeTypeOf("string");
    expect(policies.tlsPolicies?.map((p) => [p.name, p.isDefault, p.protocols])).toEqual([
      ["TLS-2016-08", true, ["TLSv1", "TLSv1.1", "TLSv1.2"]],
      ["TLS-FS-Res-1-1-2019-08", false, ["TLSv1.1", "TLSv1.2"]],
      ["TLS-FS-1-2-Res-2019-08", false, ["TLSv1.2"]],
    ]);
    expect(policies.nextPageToken).toBeUndefined();
  });

  it("serves distributions only in us-east-1", async () => {
    const east = await aws.lightsail("us-east-1").send(new GetDistributionsCommand({}));
    const elsewhere = await failure(
      aws.lightsail("eu-west-2").send(new GetDistributionsCommand({})),
    );

    expect(east.distributions?.map((d) => d.name)).toEqual(["blog-cdn", "shop-cdn"]);
    expect(east.distributions?.[1]).toMatchObject({
      alternativeDomainNames: [],
      domainName: "d9f8e7d6c5b4a3.cloudfront.net",
      viewerMinimumTlsProtocolVersion: "TLSv1.1_2016",
      origin: { name: "shop-lb", resourceType: "LoadBalancer", regionName: "us-east-1" },
    });
    expect(east.distributions?.[1]).not.toHaveProperty("certificateName");
    expect(east.distributions?.[0]).toMatchObject({
      name: "blog-cdn",
      alternativeDomainNames: ["www.blog.example.com"],
      certificateName: "blog-cdn-cert",
      viewerMinimumTlsProtocolVersion: "TLSv1.2_2021",
      origin: { name: "wordpress-blog", regionName: "us-east-1" },
    });
    expect(elsewhere.name).toBe("InvalidInputException");
    expect(elsewhere.message).toBe(
      "Domain and distribution APIs are only available in the N. Virginia (us-east-1) Region.",
    );
  });

  it("sends certificate details only when asked", async () => {
    const client = aws.lightsail("us-east-1");

    const summary = await client.send(new GetCertificatesCommand({}));
    const detailed = await client.send(
      new GetCertificatesCommand({ includeCertificateDetails: true }),
    );

    expect(summary.certificates).toEqual([
      {
        certificateArn: expect.stringMatching(/:Certificate\/[0-9a-f-]{36}$/),
        certificateName: "blog-cdn-cert",
        domainName: "www.blog.example.com",
        tags: [],
      },
    ]);
    expect(detailed.certificates?.[0]?.certificateDetail).toMatchObject({
      status: "ISSUED",
      inUseResourceCount: 1,
    });
  });

  it("fails every call in a disabled opt-in region like AWS does", async () => {
    const hongKong = aws.lightsail("ap-east-1");

    const instances = await failure(hongKong.send(new GetInstancesCommand({})));
    const regions = await failure(hongKong.send(new GetRegionsCommand({})));

    for (const error of [instances, regions]) {
      expect(error.name).toBe("UnrecognizedClientException");
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe("The security token included in the request is invalid.");
    }
  });

  it("lists the 19 Lightsail regions from any enabled region", async () => {
    const { regions } = await aws
      .lightsail("eu-west-2")
      .send(new GetRegionsCommand({ includeAvailabilityZones: true }));

    expect(regions?.map((r) => r.name).sort()).toEqual([...LIGHTSAIL_REGIONS].sort());
    expect(regions?.find((r) => r.name === "us-east-1")?.availabilityZones?.[0]).toEqual({
      zoneName: "us-east-1a",
      state: "available",
    });
  });

  it("drops the connection for a region without a Lightsail endpoint", async () => {
    const error = await failure(aws.lightsail("us-west-1").send(new GetInstancesCommand({})));

    expect(error.$metadata?.httpStatusCode).toBeUndefined();
  });

  it("names operations it does not implement", async () => {
    const json = await failure(aws.lightsail("us-east-1").send(new GetBundlesCommand({})));
    const query = await failure(aws.iam.send(new ListRolesCommand({})));

    expect(json.name).toBe("UnknownOperationException");
    expect(json.$metadata?.httpStatusCode).toBe(400);
    expect(json.message).toContain("GetBundles");
    expect(query.name).toBe("InvalidAction");
    expect(query.$metadata?.httpStatusCode).toBe(400);
    expect(query.message).toContain("ListRoles");
  });

  it("serves the account summary as numbers", async () => {
    const { SummaryMap } = await aws.iam.send(new GetAccountSummaryCommand({}));

    expect(SummaryMap).toMatchObject({
      AccountMFAEnabled: 0,
      AccountAccessKeysPresent: 1,
      Users: 3,
    });
  });

  it("serves users, groups, attached policies and MFA devices", async () => {
    const users = await aws.iam.send(new ListUsersCommand({}));
    const groups = await aws.iam.send(new ListGroupsCommand({}));
    const admins = await aws.iam.send(new GetGroupCommand({ GroupName: "Administrators" }));
    const policies = await aws.iam.send(
      new ListAttachedGroupPoliciesCommand({ GroupName: "Administrators" }),
    );
    const adminMfa = await aws.iam.send(new ListMFADevicesCommand({ UserName: "admin" }));
    const editorMfa = await aws.iam.send(new ListMFADevicesCommand({ UserName: "editor" }));
    const noUser = await failure(aws.iam.send(new ListMFADevicesCommand({})));
    const noGroup = await failure(aws.iam.send(new GetGroupCommand({ GroupName: "Nobody" })));

    expect(users.Users?.map((u) => u.UserName)).toEqual(["admin", "editor", "deployer"]);
    expect(users.Users?.[2]?.PasswordLastUsed).toBeUndefined();
    expect(users.IsTruncated).toBe(false);
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual([
      "Administrators",
      "OldAdmins",
      "ReadOnly",
    ]);
    expect(admins.Users?.map((u) => u.UserName)).toEqual(["admin"]);
    expect(policies.AttachedPolicies).toEqual([
      {
        PolicyName: "AdministratorAccess",
        PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      },
    ]);
    expect(adminMfa.MFADevices?.[0]?.SerialNumber).toBe("arn:aws:iam::123456789012:mfa/admin");
    expect(editorMfa.MFADevices).toEqual([]);
    expect(noUser.name).toBe("ValidationError");
    expect(noGroup.name).toBe("NoSuchEntityException");
    expect(noGroup.$metadata?.httpStatusCode).toBe(404);
  });

  it("finds SSM nodes by tag and pages within the allowed MaxResults", async () => {
    const shop = await aws.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: "tag:lightsail:instance", Values: ["wordpress-shop"] }],
      }),
    );
    const all = await aws.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
    const tooMany = await failure(
      aws.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 100 })),
    );

    expect(shop.InstanceInformationList?.map((n) => n.InstanceId)).toEqual([
      "mi-0fedcba9876543210",
    ]);
    expect(all.InstanceInformationList?.map((n) => n.InstanceId)).toEqual([
      "mi-0123456789abcdef0",
      "mi-0fedcba9876543210",
    ]);
    expect(all.InstanceInformationList?.[0]?.LastPingDateTime).toBeInstanceOf(Date);
    expect(all.NextToken).toBeUndefined();
    expect(tooMany.name).toBe("ValidationException");
  });

  it("runs a command: Pending, then InvocationDoesNotExist, then the configured result", async () => {
    fake.settings.commandResult = {
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: 'Unattended-Upgrade::Automatic-Reboot "true";',
      StandardErrorContent: "",
    };

    const sent = await aws.ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        Targets: [{ Key: "tag:lightsail:instance", Values: ["wordpress-blog"] }],
        Parameters: { commands: ["apt-config dump"] },
      }),
    );
    const CommandId = sent.Command?.CommandId;
    const first = await failure(
      aws.ssm.send(
        new GetCommandInvocationCommand({ CommandId, InstanceId: "mi-0123456789abcdef0" }),
      ),
    );
    const second = await aws.ssm.send(
      new GetCommandInvocationCommand({ CommandId, InstanceId: "mi-0123456789abcdef0" }),
    );
    const listed = await aws.ssm.send(
      new ListCommandInvocationsCommand({ CommandId, Details: true }),
    );
    const unknown = await failure(
      aws.ssm.send(
        new SendCommandCommand({
          DocumentName: "AWS-RunShellScript",
          InstanceIds: ["mi-00000000000000000"],
        }),
      ),
    );

    expect(sent.Command).toMatchObject({
      Status: "Pending",
      TargetCount: 1,
      DocumentName: "AWS-RunShellScript",
    });
    expect(sent.Command?.RequestedDateTime).toEqual(NOW);
    expect(CommandId).toHaveLength(36);
    expect(first.name).toBe("InvocationDoesNotExist");
    expect(second).toMatchObject({
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: 'Unattended-Upgrade::Automatic-Reboot "true";',
    });
    expect(listed.CommandInvocations?.map((i) => [i.InstanceId, i.Status])).toEqual([
      ["mi-0123456789abcdef0", "Success"],
    ]);
    expect(listed.CommandInvocations?.[0]?.CommandPlugins?.[0]?.ResponseCode).toBe(0);
    expect(unknown.name).toBe("InvalidInstanceId");
  });

  it("lists invocations Pending on the first look, and reports a per-instance result", async () => {
    fake.settings.commandResult = ({ instanceId }) =>
      instanceId === "mi-0fedcba9876543210"
        ? {
            Status: "Failed",
            ResponseCode: 100,
            StandardOutputContent: "",
            StandardErrorContent: "E: dpkg was interrupted",
          }
        : {
            Status: "Success",
            ResponseCode: 0,
            StandardOutputContent: "ok",
            StandardErrorContent: "",
          };

    const sent = await aws.ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        InstanceIds: ["mi-0123456789abcdef0", "mi-0fedcba9876543210"],
        Parameters: { commands: ["apt-get -y upgrade"] },
      }),
    );
    const CommandId = sent.Command?.CommandId;
    const statuses = async () =>
      (
        await aws.ssm.send(new ListCommandInvocationsCommand({ CommandId }))
      ).CommandInvocations?.map((i) => [i.InstanceId, i.Status]);
    const firstLook = await statuses();
    const secondLook = await statuses();
    const shop = await aws.ssm.send(
      new GetCommandInvocationCommand({ CommandId, InstanceId: "mi-0fedcba9876543210" }),
    );
    const otherCommand = await failure(
      aws.ssm.send(
        new GetCommandInvocationCommand({
          CommandId: "not-a-command",
          InstanceId: "mi-0fedcba9876543210",
        }),
      ),
    );

    expect(sent.Command?.TargetCount).toBe(2);
    expect(firstLook).toEqual([
      ["mi-0123456789abcdef0", "Pending"],
      ["mi-0fedcba9876543210", "Pending"],
    ]);
    expect(secondLook).toEqual([
      ["mi-0123456789abcdef0", "Success"],
      ["mi-0fedcba9876543210", "Failed"],
    ]);
    expect(shop).toMatchObject({
      Status: "Failed",
      ResponseCode: 100,
      StandardErrorContent: "E: dpkg was interrupted",
    });
    expect(otherCommand.name).toBe("InvocationDoesNotExist");
  });

  it("lists a managed node's tags, and only a ManagedInstance of the region", async () => {
    const blog = await aws.ssm.send(
      new ListTagsForResourceCommand({
        ResourceType: "ManagedInstance",
        ResourceId: "mi-0123456789abcdef0",
      }),
    );
    const elsewhere = await failure(
      aws.ssm.send(
        new ListTagsForResourceCommand({
          ResourceType: "ManagedInstance",
          ResourceId: "mi-0a1b2c3d4e5f67890", // registered in eu-west-2
        }),
      ),
    );
    const tagged = await aws.ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: "tag-key", Values: ["lightsail:instance"] }],
      }),
    );

    expect(blog.TagList).toEqual([
      { Key: "lightsail:instance", Value: "wordpress-blog" },
      { Key: "lightsail:region", Value: "us-east-1" },
    ]);
    expect(elsewhere.name).toBe("InvalidResourceId");
    expect(tagged.InstanceInformationList?.map((n) => n.InstanceId)).toEqual([
      "mi-0123456789abcdef0",
      "mi-0fedcba9876543210",
    ]);
  });

  it("keeps the account's command history, finished per target, and filters it", async () => {
    const history = (filters: CommandFilter[]) =>
      aws.ssm.send(new ListCommandInvocationsCommand({ Details: true, Filters: filters }));
    const document: CommandFilter = {
      key: "DocumentName",
      value: "lightsail-auditor-prod-enforce-patching",
    };

    const recent = await history([
      document,
      { key: "InvokedAfter", value: new Date(NOW.getTime() - 2 * DAY_MS).toISOString() },
    ]);
    const tooOld = await history([
      document,
      { key: "InvokedBefore", value: new Date(NOW.getTime() - 2 * DAY_MS).toISOString() },
    ]);
    const otherDocument = await history([{ key: "DocumentName", value: "AWS-RunPatchBaseline" }]);
    const badKey = await failure(
      history([{ key: "Colour" as CommandFilter["key"], value: "blue" }]),
    );
    const shop = await aws.ssm.send(
      new GetCommandInvocationCommand({
        CommandId: "6f0e2c1a-8b3d-4e5f-9a7b-1c2d3e4f5a6b",
        InstanceId: "mi-0fedcba9876543210",
      }),
    );

    expect(recent.CommandInvocations?.map((i) => [i.InstanceId, i.Status])).toEqual([
      ["mi-0123456789abcdef0", "Failed"],
      ["mi-0fedcba9876543210", "Success"],
    ]);
    expect(recent.CommandInvocations?.[0]?.CommandPlugins?.[0]).toMatchObject({
      ResponseCode: 1,
      Output: expect.stringMatching(/^\{"lightsailAuditorPatch":1,/),
    });
    expect(recent.CommandInvocations?.[0]?.RequestedDateTime).toEqual(
      new Date(NOW.getTime() - DAY_MS),
    );
    expect(tooOld.CommandInvocations).toEqual([]);
    expect(otherDocument.CommandInvocations).toEqual([]);
    expect(badKey.name).toBe("InvalidFilterKey");
    expect(shop).toMatchObject({ Status: "Success", ResponseCode: 0 });
  });

  it("reports a run that never finishes as InProgress with response code -1", async () => {
    fake.settings.commandResult = {
      Status: "InProgress",
      ResponseCode: 0,
      StandardOutputContent: "",
      StandardErrorContent: "",
    };
    const sent = await aws.ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        InstanceIds: ["mi-0123456789abcdef0"],
        Parameters: { commands: ["sleep 86400"] },
      }),
    );
    const look = () =>
      aws.ssm.send(
        new GetCommandInvocationCommand({
          CommandId: sent.Command?.CommandId,
          InstanceId: "mi-0123456789abcdef0",
        }),
      );

    const first = await failure(look());
    const second = await look();
    const third = await look();

    expect(first.name).toBe("InvocationDoesNotExist");
    expect(second).toMatchObject({
      Status: "InProgress",
      StatusDetails: "In Progress",
      ResponseCode: -1,
    });
    expect(third.Status).toBe("InProgress");
  });

  describe("SNS Publish", () => {
    const TopicArn = "arn:aws:sns:us-east-1:123456789012:lightsail-auditor-alerts";

    it("records a valid message with its structure and attributes", async () => {
      const Message = JSON.stringify({
        default: "3 new findings",
        email: "Long text",
        sms: "3 new",
      });

      const { MessageId } = await aws.sns.send(
        new PublishCommand({
          TopicArn,
          Subject: "Lightsail audit: 3 new findings",
          Message,
          MessageStructure: "json",
          MessageAttributes: { severity: { DataType: "String", StringValue: "high" } },
        }),
      );

      expect(fake.published.at(-1)).toEqual({
        region: "us-east-1",
        MessageId,
        TopicArn,
        Subject: "Lightsail audit: 3 new findings",
        Message,
        MessageStructure: "json",
        MessageAttributes: { severity: { DataType: "String", StringValue: "high" } },
      });
    });

    it("accepts a 100-character subject and a 262,144-byte message", async () => {
      await aws.sns.send(
        new PublishCommand({ TopicArn, Subject: "s".repeat(100), Message: "m".repeat(262_144) }),
      );

      expect(fake.published.at(-1)?.Message).toHaveLength(262_144);
    });

    it.each([
      [
        "a 101-character subject",
        { Subject: "s".repeat(101), Message: "x" },
        "Invalid parameter: Subject",
      ],
      [
        "a subject with a line break",
        { Subject: "two\nlines", Message: "x" },
        "Invalid parameter: Subject",
      ],
      [
        "a 262,145-byte message",
        { Message: "m".repeat(262_145) },
        "Invalid parameter: Message too long",
      ],
      [
        "json structure that is not JSON",
        { Message: "{default:", MessageStructure: "json" },
        "Invalid parameter: Message Structure - JSON message body failed to parse",
      ],
      [
        "json structure without a default",
        { Message: JSON.stringify({ email: "x" }), MessageStructure: "json" },
        "Invalid parameter: Message Structure - No default entry in JSON message body",
      ],
    ])("rejects %s", async (_label, input, message) => {
      const published = fake.published.length;

      const error = await failure(aws.sns.send(new PublishCommand({ TopicArn, ...input })));

      expect(error.name).toBe("InvalidParameterException");
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe(message);
      expect(fake.published).toHaveLength(published);
    });

    it("rejects a topic in another region than the client's", async () => {
      const error = await failure(
        aws.sns.send(
          new PublishCommand({
            TopicArn: TopicArn.replace("us-east-1", "eu-west-2"),
            Message: "x",
          }),
        ),
      );

      expect(error.message).toBe("Invalid parameter: TopicArn");
    });
  });

  describe("faults", () => {
    it.each<[FaultRule["kind"], string, number]>([
      ["throttle", "ThrottlingException", 400],
      ["throttle-429", "ThrottlingException", 429],
      ["http-500", "InternalFailure", 500],
      ["http-503", "ServiceUnavailableException", 503],
      ["access-denied", "AccessDeniedException", 400],
    ])("%s surfaces on Lightsail (json) as %s %i", async (kind, name, status) => {
      fake.faults.addFault({ service: "lightsail", kind });

      const error = await failure(aws.lightsail("us-east-1").send(new GetInstancesCommand({})));

      expect(error.name).toBe(name);
      expect(error.$metadata?.httpStatusCode).toBe(status);
    });

    it.each<[FaultRule["kind"], string, number]>([
      ["throttle", "Throttling", 400],
      ["throttle-429", "Throttling", 429],
      ["http-500", "InternalFailure", 500],
      ["http-503", "ServiceUnavailable", 503],
      ["access-denied", "AccessDenied", 403],
    ])("%s surfaces on IAM (query) as %s %i", async (kind, name, status) => {
      fake.faults.addFault({ service: "iam", operation: "GetAccountSummary", kind });

      const error = await failure(aws.iam.send(new GetAccountSummaryCommand({})));

      expect(error.name).toBe(name);
      expect(error.$metadata?.httpStatusCode).toBe(status);
    });

    it("malformed bodies fail the SDK's parsing on both protocols", async () => {
      fake.faults.addFault({ kind: "malformed" });

      const json = await failure(aws.lightsail("us-east-1").send(new GetInstancesCommand({})));
      const xml = await failure(aws.sts.send(new GetCallerIdentityCommand({})));

      expect(json.message).toContain("Deserialization error");
      expect(xml.message).toContain("Deserialization error");
      expect(json.$metadata?.httpStatusCode).toBe(200);
    });

    it("a hanging call is aborted by a client-side timeout, and is recorded", async () => {
      fake.faults.addFault({ service: "ssm", kind: "hang" });
      fake.resetCalls();

      const error = await failure(
        aws.ssm.send(new DescribeInstanceInformationCommand({}), {
          abortSignal: AbortSignal.timeout(200),
        }),
      );

      expect(error.name).toBe("AbortError");
      expect(fake.calls).toEqual([
        { service: "ssm", operation: "DescribeInstanceInformation", region: "us-east-1" },
      ]);
    });

    it("latency, per fault or global, delays answers past a client timeout the plain call meets", async () => {
      const call = () =>
        aws
          .lightsail("eu-west-2")
          .send(new GetInstancesCommand({}), { abortSignal: AbortSignal.timeout(1_000) });

      const plain = await call();
      fake.faults.addFault({ region: "eu-west-2", kind: "latency", latencyMs: 60_000 });
      const faulted = await failure(call());
      fake.faults.clearFaults();
      fake.settings.latencyMs = 60_000;
      const global = await failure(call()).finally(() => {
        fake.settings.latencyMs = 0;
      });

      expect(plain.instances).toHaveLength(2);
      expect(faulted.name).toBe("AbortError");
      expect(global.name).toBe("AbortError");
    });

    it("page-token faults answer page 1 with the same token, or a new one, on every protocol", async () => {
      fake.faults.addFault({ service: "lightsail", kind: "same-page-token", times: 2 });
      fake.faults.addFault({ service: "ssm", kind: "new-page-token", times: 2 });
      fake.faults.addFault({ service: "iam", kind: "same-page-token", times: 1 });
      const london = aws.lightsail("eu-west-2");

      const first = await london.send(new GetInstancesCommand({}));
      const again = await london.send(new GetInstancesCommand({ pageToken: first.nextPageToken }));
      const nodes = await aws.ssm.send(new DescribeInstanceInformationCommand({}));
      const more = await aws.ssm.send(
        new DescribeInstanceInformationCommand({ NextToken: nodes.NextToken }),
      );
      const groups = await aws.iam.send(new ListGroupsCommand({}));

      expect(again.instances).toEqual(first.instances);
      expect(again.nextPageToken).toBe(first.nextPageToken);
      expect(first.nextPageToken).toBeTruthy();
      expect(more.NextToken).not.toBe(nodes.NextToken);
      expect(groups).toMatchObject({ IsTruncated: true, Marker: "fault-token-0" });
    });

    it("empty-200 sends no body, no-list drops the list members", async () => {
      fake.faults.addFault({ operation: "GetInstances", kind: "empty-200", times: 1 });
      fake.faults.addFault({ operation: "GetLoadBalancers", kind: "no-list", times: 1 });
      const london = aws.lightsail("eu-west-2");

      const empty = await london.send(new GetInstancesCommand({}));
      const noList = await london.send(new GetLoadBalancersCommand({}));
      const normal = await london.send(new GetInstancesCommand({}));

      expect(empty.instances).toBeUndefined();
      expect(empty.$metadata.httpStatusCode).toBe(200);
      expect(noList.loadBalancers).toBeUndefined();
      expect(normal.instances).toHaveLength(2);
    });

    it("matches on service, operation and region, first rule first, `times` times", async () => {
      fake.faults.addFault({
        service: "lightsail",
        region: "eu-west-2",
        kind: "access-denied",
        times: 1,
      });
      fake.faults.addFault({ service: "lightsail", kind: "throttle" });
      const london = aws.lightsail("eu-west-2");

      const first = await failure(london.send(new GetInstancesCommand({})));
      const second = await failure(london.send(new GetInstancesCommand({})));
      const east = await failure(aws.lightsail("us-east-1").send(new GetLoadBalancersCommand({})));
      const iamStillFine = await aws.iam.send(new GetAccountSummaryCommand({}));

      expect(first.name).toBe("AccessDeniedException");
      expect(first.message).toContain("lightsail:GetInstances");
      expect(second.name).toBe("ThrottlingException");
      expect(east.name).toBe("ThrottlingException");
      expect(iamStillFine.SummaryMap).toBeDefined();
    });
  });
});

describe("credential report flow", () => {
  let fake: FakeAws;
  let iam: IAMClient;

  beforeAll(async () => {
    fake = await startFakeAws({
      account: demoAccount(NOW),
      credentialReportPolls: 2,
      now: () => NOW,
    });
    iam = clients(fake).iam;
  });
  afterAll(() => fake.close());

  it("goes not present, STARTED, in progress twice, COMPLETE, then serves the CSV", async () => {
    const beforeGenerate = await failure(iam.send(new GetCredentialReportCommand({})));
    const started = await iam.send(new GenerateCredentialReportCommand({}));
    const stillGenerating = await iam.send(new GenerateCredentialReportCommand({}));
    const poll1 = await failure(iam.send(new GetCredentialReportCommand({})));
    const poll2 = await failure(iam.send(new GetCredentialReportCommand({})));
    const complete = await iam.send(new GenerateCredentialReportCommand({}));
    const report = await iam.send(new GetCredentialReportCommand({}));

    expect(beforeGenerate.name).toBe("CredentialReportNotPresentException");
    expect(beforeGenerate.Code).toBe("ReportNotPresent");
    expect(beforeGenerate.$metadata?.httpStatusCode).toBe(410);
    expect(started).toMatchObject({
      State: "STARTED",
      Description: "No report exists. Starting a new report generation task",
    });
    expect(stillGenerating.State).toBe("INPROGRESS");
    for (const poll of [poll1, poll2]) {
      expect(poll.name).toBe("CredentialReportNotReadyException");
      expect(poll.Code).toBe("ReportInProgress");
      expect(poll.$metadata?.httpStatusCode).toBe(404);
    }
    expect(complete.State).toBe("COMPLETE");
    expect(report.ReportFormat).toBe("text/csv");
    expect(report.GeneratedTime).toEqual(NOW);
    const csv = new TextDecoder().decode(report.Content);
    expect(csv).toBe(fake.account.iam.credentialReportCsv);
    const [header, root] = csv.split("\n");
    expect(header?.split(",")).toHaveLength(22);
    expect(root).toMatch(/^<root_account>,arn:aws:iam::123456789012:root,[^,]+,not_supported,/);
    expect(root?.split(",")[7]).toBe("false");
  });
});

describe("fake AWS writes change the account like AWS would", () => {
  let fake: FakeAws;
  let east: LightsailClient;

  beforeAll(async () => {
    fake = await startFakeAws({ account: demoAccount(NOW), now: () => NOW });
    east = clients(fake).lightsail("us-east-1");
  });
  afterAll(() => fake.close());

  const blogPorts = async () => {
    const { instances } = await east.send(new GetInstancesCommand({}));
    return instances?.find((i) => i.name === "wordpress-blog")?.networking?.ports ?? [];
  };

  it("PutInstancePublicPorts closes every port it does not list", async () => {
    const put = await east.send(
      new PutInstancePublicPortsCommand({
        instanceName: "wordpress-blog",
        portInfos: [
          { fromPort: 80, toPort: 80, protocol: "tcp", cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] },
          {
            fromPort: 443,
            toPort: 443,
            protocol: "tcp",
            cidrs: ["0.0.0.0/0"],
            ipv6Cidrs: ["::/0"],
          },
        ],
      }),
    );

    expect(put.operation).toMatchObject({
      isTerminal: true,
      status: "Succeeded",
      resourceName: "wordpress-blog",
    });
    expect((await blogPorts()).map((p) => p.fromPort)).toEqual([80, 443]);
  });

  it("Open adds a rule the way the API stores it, Close removes it", async () => {
    const opened = await east.send(
      new OpenInstancePublicPortsCommand({
        instanceName: "wordpress-blog",
        portInfo: {
          fromPort: 22,
          toPort: 22,
          protocol: "tcp",
          cidrs: ["203.0.113.5/32"],
          ipv6Cidrs: [],
          cidrListAliases: ["lightsail-connect"],
        },
      }),
    );
    const afterOpen = await blogPorts();
    await east.send(
      new CloseInstancePublicPortsCommand({
        instanceName: "wordpress-blog",
        portInfo: {
          fromPort: 22,
          toPort: 22,
          protocol: "tcp",
          cidrs: ["203.0.113.5/32"],
          ipv6Cidrs: [],
          cidrListAliases: ["lightsail-connect"],
        },
      }),
    );
    await east.send(
      new OpenInstancePublicPortsCommand({
        instanceName: "wordpress-blog",
        portInfo: { fromPort: 0, toPort: 65535, protocol: "all", cidrs: ["198.51.100.0/24"] },
      }),
    );
    const afterClose = await blogPorts();

    expect(opened.operation).toMatchObject({ status: "Succeeded", operationDetails: "22/tcp" });
    expect(afterOpen.find((p) => p.fromPort === 22)).toEqual({
      fromPort: 22,
      toPort: 22,
      protocol: "tcp",
      accessFrom: "Custom",
      accessType: "public",
      commonName: "",
      accessDirection: "inbound",
      cidrs: ["203.0.113.5/32"],
      ipv6Cidrs: [],
      cidrListAliases: ["lightsail-connect"],
    });
    expect(afterClose.some((p) => p.fromPort === 22)).toBe(false);
    expect(afterClose.find((p) => p.toPort === 65535)?.protocol).toBe("-1");
  });

  it("GetInstance answers one instance with its firewall as stored; an unknown name is NotFoundException", async () => {
    const { instance } = await east.send(
      new GetInstanceCommand({ instanceName: "wordpress-shop" }),
    );
    const missing = await failure(east.send(new GetInstanceCommand({ instanceName: "ghost" })));

    expect(instance?.name).toBe("wordpress-shop");
    expect(instance?.networking?.ports?.[0]).toMatchObject({
      fromPort: 22,
      cidrs: ["203.0.113.10/32"],
      cidrListAliases: ["lightsail-connect"],
    });
    expect(missing.name).toBe("NotFoundException");
  });

  it("closing only ::/0 of a merged entry leaves its IPv4 side open", async () => {
    const london = clients(fake).lightsail("eu-west-2");
    await london.send(
      new CloseInstancePublicPortsCommand({
        instanceName: "client-staging",
        portInfo: {
          fromPort: 80,
          toPort: 80,
          protocol: "tcp",
          cidrs: [],
          ipv6Cidrs: ["::/0"],
          cidrListAliases: [],
        },
      }),
    );
    const { instance } = await london.send(
      new GetInstanceCommand({ instanceName: "client-staging" }),
    );

    expect(instance?.networking?.ports?.find((p) => p.fromPort === 80)).toMatchObject({
      cidrs: ["0.0.0.0/0"],
      ipv6Cidrs: [],
      accessFrom: "Anywhere (0.0.0.0/0)",
    });
  });

  it("records the resource a call names, and a fault rule can target that one resource", async () => {
    fake.faults.addFault({
      service: "lightsail",
      resource: "wordpress-blog",
      kind: "access-denied",
    });
    fake.resetCalls();
    try {
      const blog = await failure(
        east.send(new GetInstanceCommand({ instanceName: "wordpress-blog" })),
      );
      const shop = await east.send(new GetInstanceCommand({ instanceName: "wordpress-shop" }));

      expect(blog.name).toBe("AccessDeniedException");
      expect(shop.instance?.name).toBe("wordpress-shop");
      expect(fake.calls).toEqual([
        {
          service: "lightsail",
          operation: "GetInstance",
          region: "us-east-1",
          resource: "wordpress-blog",
        },
        {
          service: "lightsail",
          operation: "GetInstance",
          region: "us-east-1",
          resource: "wordpress-shop",
        },
      ]);
    } finally {
      fake.faults.clearFaults();
    }
  });

  it("rejects a port write for an unknown instance", async () => {
    const error = await failure(
      east.send(
        new OpenInstancePublicPortsCommand({
          instanceName: "ghost",
          portInfo: { fromPort: 22, toPort: 22, protocol: "tcp" },
        }),
      ),
    );

    expect(error.name).toBe("NotFoundException");
  });

  it("UpdateLoadBalancerAttribute sets one string attribute; redirection needs HTTPS", async () => {
    const london = clients(fake).lightsail("eu-west-2");

    const updated = await london.send(
      new UpdateLoadBalancerAttributeCommand({
        loadBalancerName: "agency-lb",
        attributeName: "HttpsRedirectionEnabled",
        attributeValue: "true",
      }),
    );
    const { loadBalancers } = await london.send(new GetLoadBalancersCommand({}));
    const httpOnly = await failure(
      east.send(
        new UpdateLoadBalancerAttributeCommand({
          loadBalancerName: "shop-lb",
          attributeName: "HttpsRedirectionEnabled",
          attributeValue: "true",
        }),
      ),
    );

    expect(updated.operations?.[0]).toMatchObject({
      isTerminal: true,
      status: "Succeeded",
      resourceName: "agency-lb",
    });
    expect(loadBalancers?.[0]?.httpsRedirectionEnabled).toBe(true);
    expect(loadBalancers?.[0]?.configurationOptions?.HttpsRedirectionEnabled).toBe("true");
    expect(httpOnly.name).toBe("InvalidInputException");
  });
});

describe("paging", () => {
  let fake: FakeAws;
  let aws: ReturnType<typeof clients>;

  beforeAll(async () => {
    const account = syntheticAccount({
      instances: 60,
      loadBalancers: 3,
      regions: ["eu-west-1"],
      now: NOW,
    });
    account.iam.virtualMfaDevices.push({
      SerialNumber: "arn:aws:iam::210987654321:mfa/unassigned",
    });
    account.ssmNodes["eu-west-1"] = Array.from({ length: 7 }, (_, i) =>
      managedNode({
        instanceId: `mi-0000000000000000${i}`,
        lightsailName: `site-0000${i}`,
        lightsailRegion: "eu-west-1",
        privateIp: `172.26.0.${i}`,
        registeredAt: NOW,
        lastPingAt: NOW,
        activationId: "00000000-0000-4000-8000-000000000000",
      }),
    );
    fake = await startFakeAws({ account, pageSize: 25 });
    aws = clients(fake);
  });
  afterAll(() => fake.close());

  it("pages GetInstances by the page size, with no token on the last page", async () => {
    const client = aws.lightsail("eu-west-1");

    const first = await client.send(new GetInstancesCommand({}));
    const { instances, pages } = await allInstances(client);

    expect(first.instances).toHaveLength(25);
    expect(first.nextPageToken).toBeTypeOf("string");
    expect(pages).toBe(3);
    expect(new Set(instances.map((i) => i.name)).size).toBe(60);
  });

  it("rejects a page token it did not issue", async () => {
    const error = await failure(
      aws.lightsail("eu-west-1").send(new GetInstancesCommand({ pageToken: "bogus" })),
    );

    expect(error.name).toBe("InvalidInputException");
  });

  it("pages IAM with Marker/IsTruncated and filters virtual MFA devices by assignment", async () => {
    const serials: string[] = [];
    for await (const page of paginateListVirtualMFADevices({ client: aws.iam, pageSize: 1 }, {})) {
      serials.push(...(page.VirtualMFADevices ?? []).map((d) => d.SerialNumber ?? ""));
    }
    const unassigned = await aws.iam.send(
      new ListVirtualMFADevicesCommand({ AssignmentStatus: "Unassigned" }),
    );
    const assigned = await aws.iam.send(
      new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" }),
    );

    expect(serials).toHaveLength(3);
    expect(unassigned.VirtualMFADevices?.map((d) => d.SerialNumber)).toEqual([
      "arn:aws:iam::210987654321:mfa/unassigned",
    ]);
    const root = assigned.VirtualMFADevices?.find((d) => d.User?.Arn?.endsWith(":root"));
    expect(root?.SerialNumber).toBe("arn:aws:iam::210987654321:mfa/root-account-mfa-device");
    expect(root?.User?.UserName).toBeUndefined();
    expect(root?.User?.Path).toBeUndefined();
  });

  it("pages SSM DescribeInstanceInformation with NextToken", async () => {
    const ids: string[] = [];
    let pages = 0;
    const ssm = new SSMClient({
      region: "eu-west-1",
      endpoint: fake.url,
      credentials,
      maxAttempts: 1,
    });
    for await (const page of paginateDescribeInstanceInformation(
      { client: ssm, pageSize: 5 },
      {},
    )) {
      pages += 1;
      ids.push(...(page.InstanceInformationList ?? []).map((n) => n.InstanceId ?? ""));
    }

    expect(ids).toEqual(Array.from({ length: 7 }, (_, i) => `mi-0000000000000000${i}`));
    expect(pages).toBe(2);
  });
});

describe("fault probability", () => {
  it("is drawn from the seeded PRNG: the same seed gives the same faults", async () => {
    const pattern = async (seed: number) => {
      const fake = await startFakeAws({ account: demoAccount(NOW), seed });
      try {
        fake.faults.addFault({ service: "sts", kind: "throttle", probability: 0.5 });
        const sts = clients(fake).sts;
        const outcomes: string[] = [];
        for (let i = 0; i < 20; i++) {
          outcomes.push(
            await sts.send(new GetCallerIdentityCommand({})).then(
              () => "ok",
              (e: Error) => e.name,
            ),
          );
        }
        return outcomes.join(" ");
      } finally {
        await fake.close();
      }
    };

    const first = await pattern(42);
    const again = await pattern(42);

    expect(again).toBe(first);
    expect(first).toContain("ok");
    expect(first).toContain("Throttling");
  });
});

describe("synthetic account", () => {
  it("builds 10,000 instances deterministically over the 19 regions", () => {
    const a = syntheticAccount({ instances: 10_000, loadBalancers: 200, seed: 7, now: NOW });
    const b = syntheticAccount({ instances: 10_000, loadBalancers: 200, seed: 7, now: NOW });

    const regions = Object.values(a.lightsail);
    expect(regions).toHaveLength(19);
    expect(regions.reduce((n, r) => n + r.instances.length, 0)).toBe(10_000);
    expect(regions.reduce((n, r) => n + r.loadBalancerTlsCertificates.length, 0)).toBe(200);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const protocols = new Set(regions.flatMap((r) => r.loadBalancers.map((lb) => lb.protocol)));
    expect(protocols).toEqual(new Set(["HTTP", "HTTP_HTTPS"]));
    const ports = regions.flatMap((r) => r.instances.flatMap((i) => i.networking.ports));
    expect(ports.some((p) => p.protocol === "-1")).toBe(true);
    expect(ports.some((p) => !("cidrs" in p))).toBe(true);
  });
});

describe("main.ts", () => {
  it("prints FAKE_AWS_URL, serves AWS_ENDPOINT_URL clients, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "tests/fake-aws/main.ts", "--account", "demo"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const url = line.replace(/^FAKE_AWS_URL=/, "");

    process.env.AWS_ENDPOINT_URL = url;
    try {
      const sts = new STSClient({ region: "us-east-1", credentials, maxAttempts: 1 });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe("123456789012");
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");

    expect(line).toMatch(/^FAKE_AWS_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(code).toBe(0);
  });
});
