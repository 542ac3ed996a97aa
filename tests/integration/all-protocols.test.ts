/**
 * An "All protocols" firewall rule reaches us spelled two ways: `"-1"`, as real responses send it
 * (aws-api-facts.md §1.3, observed), and `"all"`, the value of botocore's lightsail
 * `NetworkProtocol` enum (tcp | all | udp | icmp | icmpv6). The demo account serves `"-1"`, the
 * synthetic account both; here both cross the wire to the real SDK, the checks fail both, and the
 * fake closes a rule whichever spelling it is stored under.
 */
import {
  CloseInstancePublicPortsCommand,
  GetInstanceCommand,
  LightsailClient,
} from "@aws-sdk/client-lightsail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { parseConfig } from "../../shared/config";
import type { AuditReport } from "../../shared/model";
import type { WireInstance } from "../fake-aws/account";
import { syntheticAccount } from "../fake-aws/accounts/synthetic";
import { type FakeAws, startFakeAws } from "../fake-aws/server";

const REGION = "us-east-1";
let fake: FakeAws;
let report: AuditReport;
/** Instance names whose single rule is All protocols, by the spelling the fake stores. */
const bySpelling: Record<string, string[]> = { "-1": [], all: [] };

beforeAll(async () => {
  const account = syntheticAccount({ instances: 200, loadBalancers: 0, regions: [REGION] });
  for (const i of account.lightsail[REGION]?.instances ?? []) {
    const protocol = i.networking.ports[0]?.protocol ?? "";
    if (protocol in bySpelling) bySpelling[protocol]?.push(i.name);
  }
  fake = await startFakeAws({ account });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    IP_RANGES: `${fake.url}/ip-ranges.json`,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: REGION,
    AWS_MAX_ATTEMPTS: "1",
  });
  const reader = createAccountReader({ credentialReport: { initialDelayMs: 10 } });
  report = await runAudit(
    { reader },
    parseConfig({ regions: REGION, checks: "lightsail-instance-ssh-not-public", patching: "off" }),
  );
});
afterAll(async () => {
  await fake?.close();
});

const client = () =>
  new LightsailClient({
    region: REGION,
    endpoint: fake.url,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
const portsOf = async (name: string) =>
  (await client().send(new GetInstanceCommand({ instanceName: name }))).instance?.networking
    ?.ports ?? [];

describe("All protocols rules spelled -1 and all", () => {
  it("the synthetic account serves both spellings over the wire", async () => {
    const [minusOne] = bySpelling["-1"] ?? [];
    const [all] = bySpelling.all ?? [];
    expect(minusOne).toBeDefined();
    expect(all).toBeDefined();

    expect((await portsOf(minusOne as string))[0]?.protocol).toBe("-1");
    expect((await portsOf(all as string))[0]?.protocol).toBe("all");
  });

  it.each(["-1", "all"])("SSH open to the world through a %s rule is a FAIL", (spelling) => {
    const names = bySpelling[spelling] ?? [];
    const results = report.results.filter((r) => names.includes(r.resource.name));

    expect(names.length).toBeGreaterThan(0);
    expect(results.length).toBe(names.length);
    expect(results.every((r) => r.status === "FAIL")).toBe(true);
  });

  it.each(["-1", "all"])(
    "CloseInstancePublicPorts with protocol all closes a rule stored as %s",
    async (spelling) => {
      const name = bySpelling[spelling]?.at(-1) as string;

      await client().send(
        new CloseInstancePublicPortsCommand({
          instanceName: name,
          portInfo: { fromPort: 0, toPort: 65535, protocol: "all", cidrs: ["0.0.0.0/0"] },
        }),
      );

      const ports = (await portsOf(name)) as WireInstance["networking"]["ports"];
      expect(ports).toHaveLength(1);
      expect(ports[0]).toMatchObject({ protocol: spelling, cidrs: [], ipv6Cidrs: ["::/0"] });
    },
  );
});
