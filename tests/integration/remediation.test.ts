/**
 * The fixes end to end with the real SDK clients: Lightsail against the local fake (a fresh demo
 * account for each test), the change records in DynamoDB on moto. Every test also checks that
 * PutInstancePublicPorts (which closes every port it does not list) was never called.
 */
import { execFile } from "node:child_process";
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetInstancesCommand,
  LightsailClient,
  OpenInstancePublicPortsCommand,
} from "@aws-sdk/client-lightsail";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { createRemediationDeps } from "../../shared/aws/remediation";
import { type CliIo, main } from "../../shared/cli";
import { parseConfig, type RawConfig } from "../../shared/config";
import type { AuditReport, Change } from "../../shared/model";
import type { WirePort } from "../fake-aws/account";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type Moto, startMoto } from "../helpers/moto";
import { expectValidReport } from "../helpers/report-schema";
import { createStateTable } from "../helpers/state-table";

const run = promisify(execFile);
const TABLE = "lightsail-auditor-state";
const MY_IPV4 = "203.0.113.7/32";
const MY_IPV6 = "2001:db8:1234::/48";
const ALLOWED = `${MY_IPV4},${MY_IPV6}`;
const WRITES = [
  "OpenInstancePublicPorts",
  "CloseInstancePublicPorts",
  "UpdateLoadBalancerAttribute",
];

let moto: Moto;
let fake: FakeAws;
const motoDynamo = () =>
  new DynamoDBClient({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });

beforeAll(async () => {
  moto = await startMoto();
  await createStateTable(motoDynamo(), TABLE);
}, 60_000);
afterAll(() => moto?.stop());

beforeEach(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    IP_RANGES: `${fake.url}/ip-ranges.json`,
    AWS_ENDPOINT_URL_DYNAMODB: moto.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1", // retries would hide an injected fault
  });
});
afterEach(async () => {
  // Never, in any test: it would close every port it does not list.
  expect(fake.calls.filter((c) => c.operation === "PutInstancePublicPorts")).toEqual([]);
  await fake.close();
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
});

const config = (raw: RawConfig = {}) =>
  parseConfig({
    stateTable: TABLE,
    allowedSshCidrs: ALLOWED,
    ipRanges: `${fake.url}/ip-ranges.json`,
    ...raw,
  });
const reader = () => createAccountReader({ credentialReport: { initialDelayMs: 10 } });
const audit = (raw: RawConfig = {}) =>
  runAudit({ reader: reader(), remediation: createRemediationDeps(TABLE) }, config(raw)).then(
    expectValidReport,
  );

/** The stored item (with its `pk` and TTL `expiresAt`), read back with the SDK. */
async function storedChange(id: string): Promise<(Change & { expiresAt?: number }) | undefined> {
  const doc = DynamoDBDocumentClient.from(motoDynamo());
  const r = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: `change#${id}` } }));
  return r.Item as (Change & { expiresAt?: number }) | undefined;
}

/** The live wire rules of an instance, as the fake stores (and GetInstances returns) them. */
function ports(region: string, name: string): WirePort[] {
  const found = fake.account.lightsail[region]?.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no instance ${region}/${name}`);
  return found.networking.ports;
}
const copy = <T>(x: T): T => structuredClone(x);
/** Every Lightsail resource of the account (reads create empty regions: those are left out). */
const lightsail = () =>
  copy(
    Object.entries(fake.account.lightsail).filter(
      ([, r]) => r.instances.length + r.loadBalancers.length > 0,
    ),
  );
const without22 = (rules: WirePort[]) =>
  rules.filter((p) => !(p.fromPort === 22 && p.toPort === 22));

const sshResult = (report: AuditReport, name: string) =>
  report.results.find(
    (r) => r.checkId === "lightsail-instance-ssh-not-public" && r.resource.name === name,
  )?.status;
const writesTo = (name: string) =>
  fake.calls.filter((c) => WRITES.includes(c.operation) && c.resource === name);

/** The CLI with captured output; `answer` is typed at the confirmation prompt (a terminal). */
function cli(options: { tty?: boolean; answer?: string; beforeAnswer?: () => void } = {}) {
  const out = { text: "" };
  const err = { text: "" };
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s) },
    stderr: {
      write: (s: string) => {
        err.text += s;
        if (s.includes("Type yes to continue")) {
          options.beforeAnswer?.();
          stdin.end(`${options.answer ?? ""}\n`);
        }
        return true;
      },
    },
    env: { STATE_TABLE: TABLE },
    stdin,
  };
  return { io, out, err };
}

describe("enforce against the fake: the SSH fix", () => {
  it("restricts SSH on wordpress-blog to the allowed CIDRs and lightsail-connect, leaves 80, 443 and every other rule as they were, and a second audit passes", async () => {
    const blogBefore = copy(ports("us-east-1", "wordpress-blog"));
    const shopBefore = copy(ports("us-east-1", "wordpress-shop"));

    const report = await audit({ regions: "us-east-1", remediation: "enforce" });
    const again = await audit({ regions: "us-east-1" });

    const blogAfter = ports("us-east-1", "wordpress-blog");
    expect(without22(blogAfter)).toEqual(without22(blogBefore)); // 80 and 443, entry for entry
    expect(blogAfter.filter((p) => p.fromPort === 22)).toEqual([
      {
        fromPort: 22,
        toPort: 22,
        protocol: "tcp",
        accessFrom: "Custom",
        accessType: "public",
        commonName: "",
        accessDirection: "inbound",
        cidrs: [MY_IPV4],
        ipv6Cidrs: [MY_IPV6],
        cidrListAliases: ["lightsail-connect"],
      },
    ]);
    expect(ports("us-east-1", "wordpress-shop")).toEqual(shopBefore);
    expect(report.remediation?.applied.map((c) => [c.kind, c.resource.name, c.status])).toEqual([
      ["restrict-ssh", "wordpress-blog", "applied"],
    ]);
    expect(report.remediation?.failed).toEqual([]);
    expect(sshResult(again, "wordpress-blog")).toBe("PASS");
  });

  it("re-reads the instance, then opens the new sources before closing the world-open ones, and records the change before the first write", async () => {
    const report = await audit({ regions: "us-east-1", remediation: "enforce" });

    const onBlog = fake.calls
      .filter((c) => c.resource === "wordpress-blog")
      .map((c) => c.operation);
    expect(onBlog).toEqual([
      "GetInstance",
      "OpenInstancePublicPorts",
      "CloseInstancePublicPorts",
      "GetInstance",
    ]);
    const [change] = report.remediation?.applied ?? [];
    const stored = await storedChange(change?.id ?? "");
    expect(stored).toMatchObject({
      id: change?.id,
      kind: "restrict-ssh",
      status: "applied",
      checkId: "lightsail-instance-ssh-not-public",
      fingerprint: report.results.find(
        (r) => r.resource.name === "wordpress-blog" && r.status === "FAIL",
      )?.fingerprint,
      resource: { name: "wordpress-blog", region: "us-east-1", type: "LightsailInstance" },
    });
    // Kept 400 days (the table's TTL attribute), so the change can be undone long after.
    const appliedAt = Math.floor(Date.parse(change?.appliedAt ?? "") / 1000);
    expect(stored?.expiresAt).toBe(appliedAt + 400 * 86_400);
    const ssh = (c: Change | undefined) =>
      c?.kind === "restrict-ssh" ? c.after.find((r) => r.fromPort === 22) : undefined;
    expect(ssh(stored)).toEqual({
      fromPort: 22,
      toPort: 22,
      protocol: "tcp",
      cidrs: [MY_IPV4],
      ipv6Cidrs: [MY_IPV6],
      cidrListAliases: ["lightsail-connect"],
    });
  });

  it("where only IPv6 admits the world (client-staging), only the IPv6 side changes", async () => {
    const before = copy(ports("eu-west-2", "client-staging"));

    const report = await audit({ regions: "eu-west-2", remediation: "enforce" });
    const again = await audit({ regions: "eu-west-2" });

    const after = ports("eu-west-2", "client-staging");
    expect(after).toEqual([
      { ...before[0], ipv6Cidrs: [MY_IPV6], accessFrom: "Custom" }, // was ::/0
      before[1], // 80
      before[2], // the IPv4 SSH rule, 198.51.100.0/24: untouched, no lightsail-connect added
      before[3], // 3306 over IPv6: not this fix's business
    ]);
    const closes = fake.calls.filter((c) => c.operation === "CloseInstancePublicPorts");
    expect(closes).toHaveLength(1);
    expect(
      report.remediation?.applied
        .filter((c) => c.kind === "restrict-ssh")
        .map((c) => c.resource.name),
    ).toEqual(["client-staging"]);
    expect(sshResult(again, "client-staging")).toBe("PASS");
  });

  it("fixes an old-style rule without source lists (legacy-site, accessFrom only)", async () => {
    const before = copy(ports("ap-southeast-2", "legacy-site"));

    await audit({ regions: "ap-southeast-2", remediation: "enforce" });
    const again = await audit({ regions: "ap-southeast-2" });

    expect(without22(ports("ap-southeast-2", "legacy-site"))).toEqual(without22(before));
    expect(ports("ap-southeast-2", "legacy-site").find((p) => p.fromPort === 22)).toMatchObject({
      cidrs: [MY_IPV4],
      ipv6Cidrs: [],
      cidrListAliases: ["lightsail-connect"],
    });
    expect(sshResult(again, "legacy-site")).toBe("PASS");
  });
});

describe("what is never changed", () => {
  it("dry-run reports the plan, changes nothing and makes no write (nor re-read) call", async () => {
    const before = lightsail();
    fake.resetCalls();

    const report = await audit({ remediation: "dry-run" });

    expect(lightsail()).toEqual(before);
    expect(
      fake.calls.filter((c) =>
        [...WRITES, "GetInstance", "PutInstancePublicPorts"].includes(c.operation),
      ),
    ).toEqual([]);
    expect(report.remediation?.mode).toBe("dry-run");
    expect(report.remediation?.planned.map((a) => `${a.kind} ${a.resource.name}`).sort()).toEqual([
      "enable-https-redirect agency-lb",
      "restrict-ssh client-staging",
      "restrict-ssh legacy-site",
      "restrict-ssh wordpress-blog",
    ]);
    expect(report.remediation?.applied).toEqual([]);
  });

  it("SSH inside an All protocols rule (agency-site) is reported, not split: skipped with the reason, no call", async () => {
    const before = copy(ports("eu-west-2", "agency-site"));

    const report = await audit({ regions: "eu-west-2", remediation: "enforce" });

    expect(report.remediation?.skipped).toEqual([
      expect.objectContaining({
        checkId: "lightsail-instance-ssh-not-public",
        resource: expect.objectContaining({ name: "agency-site" }),
        reason: expect.stringMatching(
          /^SSH is open through rule 0-65535\/all, which also opens other ports; .* by hand/,
        ),
      }),
    ]);
    expect(ports("eu-west-2", "agency-site")).toEqual(before);
    expect(writesTo("agency-site")).toEqual([]);
  });

  it("an instance without an SSH rule (mail-relay) gets nothing: not planned, not skipped, not read again", async () => {
    const report = await audit({ regions: "ap-southeast-2", remediation: "enforce" });

    const named = [...(report.remediation?.planned ?? []), ...(report.remediation?.skipped ?? [])];
    expect(named.map((a) => a.resource.name)).not.toContain("mail-relay");
    expect(fake.calls.filter((c) => c.resource === "mail-relay")).toEqual([]);
  });

  it("an instance tagged auto-remediate=false is skipped with the reason and never written", async () => {
    const blog = fake.account.lightsail["us-east-1"]?.instances.find(
      (i) => i.name === "wordpress-blog",
    );
    blog?.tags.push({ key: "auto-remediate", value: "false" });
    const before = copy(ports("us-east-1", "wordpress-blog"));

    const report = await audit({ regions: "us-east-1", remediation: "enforce" });

    expect(report.remediation?.skipped.map((s) => [s.resource.name, s.reason])).toEqual([
      ["wordpress-blog", expect.stringContaining("tagged auto-remediate=false")],
    ]);
    expect(ports("us-east-1", "wordpress-blog")).toEqual(before);
    expect(writesTo("wordpress-blog")).toEqual([]);
  });

  it("without allowedSshCidrs SSH is never touched, and the plan says why", async () => {
    const report = await audit({
      regions: "us-east-1",
      remediation: "enforce",
      allowedSshCidrs: "",
    });

    expect(report.remediation?.skipped).toEqual([
      expect.objectContaining({
        resource: expect.objectContaining({ name: "wordpress-blog" }),
        reason: expect.stringContaining("allowedSshCidrs is not set, so SSH is never changed"),
      }),
    ]);
    expect(fake.calls.filter((c) => WRITES.includes(c.operation))).toEqual([]);
  });
});

describe("enforce against the fake: the HTTPS redirect", () => {
  it("turns redirection on for agency-lb (ISSUED certificate attached), and a second audit passes", async () => {
    const report = await audit({ regions: "eu-west-2", remediation: "enforce" });
    const again = await audit({ regions: "eu-west-2" });

    const lb = fake.account.lightsail["eu-west-2"]?.loadBalancers[0];
    expect(lb?.httpsRedirectionEnabled).toBe(true);
    expect(lb?.configurationOptions.HttpsRedirectionEnabled).toBe("true");
    expect(report.remediation?.applied.map((c) => `${c.kind} ${c.resource.name}`)).toContain(
      "enable-https-redirect agency-lb",
    );
    expect(
      again.results.find((r) => r.checkId === "lightsail-lb-http-redirects-to-https")?.status,
    ).toBe("PASS");
  });

  it("changes no load balancer whose certificate is not attached and ISSUED", async () => {
    // shop-lb: plain HTTP, certificate not attached. agency-lb: certificate back to pending.
    const cert = fake.account.lightsail["eu-west-2"]?.loadBalancerTlsCertificates[0];
    if (cert) cert.status = "PENDING_VALIDATION";

    const report = await audit({ regions: "us-east-1,eu-west-2", remediation: "enforce" });

    expect(fake.calls.filter((c) => c.operation === "UpdateLoadBalancerAttribute")).toEqual([]);
    expect(report.remediation?.planned.filter((a) => a.kind === "enable-https-redirect")).toEqual(
      [],
    );
    expect(fake.account.lightsail["eu-west-2"]?.loadBalancers[0]?.httpsRedirectionEnabled).toBe(
      false,
    );
  });
});

describe("failures stay with their resource", () => {
  it("an API error on one instance does not stop the others: it is reported failed, nothing changed there", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "OpenInstancePublicPorts",
      resource: "wordpress-blog",
      kind: "access-denied",
    });
    const before = copy(ports("us-east-1", "wordpress-blog"));

    const report = await audit({ remediation: "enforce" });

    expect(report.remediation?.failed).toEqual([
      expect.objectContaining({
        resource: expect.objectContaining({ name: "wordpress-blog" }),
        error: expect.stringMatching(
          /^OpenInstancePublicPorts failed: AccessDeniedException: .*; nothing was changed$/,
        ),
      }),
    ]);
    expect(report.remediation?.failed[0]?.changeId).toBeUndefined();
    expect(ports("us-east-1", "wordpress-blog")).toEqual(before);
    expect(report.remediation?.applied.map((c) => c.resource.name).sort()).toEqual([
      "agency-lb",
      "client-staging",
      "legacy-site",
    ]);
  });

  it("a Close that fails after its Open leaves SSH reachable, is recorded, and undo restores the exact rules", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "CloseInstancePublicPorts",
      resource: "wordpress-blog",
      kind: "http-500",
    });
    const before = copy(ports("us-east-1", "wordpress-blog"));

    const report = await audit({ regions: "us-east-1", remediation: "enforce" });
    const failure = report.remediation?.failed[0];
    const stored = await storedChange(failure?.changeId ?? "");
    fake.faults.clearFaults();
    const { io } = cli();
    const code = await main(["undo", "--change", failure?.changeId ?? ""], io);

    expect(failure?.error).toMatch(
      /^CloseInstancePublicPorts failed: InternalFailure: .*partly changed/,
    );
    expect(stored?.status).toBe("failed");
    expect(code).toBe(0);
    expect(ports("us-east-1", "wordpress-blog")).toEqual(before);
  });

  it("an instance whose firewall changed between the audit and the fix is skipped; the others are fixed", async () => {
    let edited: WirePort[] = [];
    const { io, out } = cli({
      tty: true,
      answer: "yes",
      // The owner opens 8080 on wordpress-blog while the plan waits for confirmation.
      beforeAnswer: () => {
        const rules = ports("us-east-1", "wordpress-blog");
        const [web] = copy(rules);
        if (web) rules.push({ ...web, fromPort: 8080, toPort: 8080 });
        edited = copy(rules);
      },
    });

    const code = await main(
      ["fix", "--apply", "--regions", "us-east-1,eu-west-2", "--allowed-ssh-cidrs", ALLOWED],
      io,
    );

    expect(code).toBe(0);
    expect(out.text).toMatch(
      /Left alone:\n- us-east-1\/wordpress-blog \[lightsail-instance-ssh-not-public\]: the firewall changed since the audit/,
    );
    expect(edited.map((p) => p.fromPort)).toEqual([80, 22, 443, 8080]);
    expect(ports("us-east-1", "wordpress-blog")).toEqual(edited);
    expect(writesTo("wordpress-blog")).toEqual([]);
    expect(writesTo("client-staging").map((c) => c.operation)).toEqual([
      "OpenInstancePublicPorts",
      "CloseInstancePublicPorts",
    ]);
  });
});

describe("undo", () => {
  it("restores exactly the previous rules (open the old sources, then close the new), once", async () => {
    const before = copy(ports("us-east-1", "wordpress-blog"));
    const report = await audit({ regions: "us-east-1", remediation: "enforce" });
    const id = report.remediation?.applied[0]?.id ?? "";
    fake.resetCalls();

    const first = cli();
    const code = await main(["undo", "--change", id], first.io);
    const calls = writesTo("wordpress-blog").map((c) => c.operation);
    const second = cli();
    const again = await main(["undo", "--change", id], second.io);

    expect(code).toBe(0);
    expect(first.out.text).toContain(`Change ${id} undone on us-east-1/wordpress-blog`);
    expect(first.err.text).toContain("tag the resource auto-remediate=false");
    expect(ports("us-east-1", "wordpress-blog")).toEqual(before);
    expect(calls).toEqual(["OpenInstancePublicPorts", "CloseInstancePublicPorts"]);
    expect((await storedChange(id))?.status).toBe("undone");
    expect(again).toBe(1);
    expect(second.err.text).toMatch(
      new RegExp(`^lightsail-audit: Change ${id} was already undone on `),
    );
  });

  it("sets the load balancer's previous redirection value", async () => {
    const report = await audit({ regions: "eu-west-2", remediation: "enforce" });
    const id = report.remediation?.applied.find((c) => c.kind === "enable-https-redirect")?.id;

    expect(await main(["undo", "--change", id ?? ""], cli().io)).toBe(0);
    expect(fake.account.lightsail["eu-west-2"]?.loadBalancers[0]?.httpsRedirectionEnabled).toBe(
      false,
    );
  });

  it("refuses, changing nothing, when the firewall no longer matches the state the change left", async () => {
    const report = await audit({ regions: "us-east-1", remediation: "enforce" });
    const id = report.remediation?.applied[0]?.id ?? "";
    await new LightsailClient({ region: "us-east-1" }).send(
      new OpenInstancePublicPortsCommand({
        instanceName: "wordpress-blog",
        portInfo: {
          fromPort: 22,
          toPort: 22,
          protocol: "tcp",
          cidrs: ["198.51.100.9/32"],
          ipv6Cidrs: [],
          cidrListAliases: [],
        },
      }),
    );
    const now = copy(ports("us-east-1", "wordpress-blog"));
    fake.resetCalls();

    const { io, err } = cli();
    const code = await main(["undo", "--change", id], io);

    expect(code).toBe(1);
    expect(err.text).toMatch(
      new RegExp(
        `^lightsail-audit: The firewall of instance "wordpress-blog" \\(us-east-1\\) no longer matches what change ${id} left, so undoing it would not restore the previous rules: nothing was changed\\.`,
      ),
    );
    expect(err.text).toContain("now:                 22/tcp from 198.51.100.9/32, 203.0.113.7/32");
    expect(fake.calls.map((c) => c.operation)).toEqual(["GetInstance"]);
    expect(ports("us-east-1", "wordpress-blog")).toEqual(now);
    expect((await storedChange(id))?.status).toBe("applied");
  });

  it("says so for an unknown change id", async () => {
    const { io, err } = cli();
    expect(await main(["undo", "--change", "000000000000"], io)).toBe(1);
    expect(err.text).toBe('lightsail-audit: No change with id "000000000000" is recorded.\n');
  });
});

describe("lightsail-audit fix", () => {
  it("fix --plan prints the plan and changes nothing", async () => {
    const before = lightsail();
    const { io, out } = cli();

    const code = await main(["fix", "--plan", "--allowed-ssh-cidrs", ALLOWED], io);

    expect(code).toBe(0);
    expect(out.text).toContain("FIXES (dry-run: nothing was changed");
    expect(out.text).toContain(
      `- us-east-1/wordpress-blog: Restrict SSH on instance "wordpress-blog": 22/tcp from 0.0.0.0/0 and ::/0 becomes 22/tcp from ${MY_IPV4}, ${MY_IPV6} and lightsail-connect [lightsail-instance-ssh-not-public]`,
    );
    expect(lightsail()).toEqual(before);
    expect(fake.calls.filter((c) => WRITES.includes(c.operation))).toEqual([]);
  });

  it("fix --apply refuses without a terminal unless --yes, and without a state table", async () => {
    const noTty = cli();
    const noTable = cli({ tty: true });
    noTable.io.env = {};

    expect(await main(["fix", "--apply", "--allowed-ssh-cidrs", ALLOWED], noTty.io)).toBe(1);
    expect(await main(["fix", "--apply", "--allowed-ssh-cidrs", ALLOWED], noTable.io)).toBe(1);

    expect(noTty.err.text).toContain("there is no terminal to ask on: add --yes");
    expect(noTable.err.text).toContain("fix --apply needs the state table");
    expect(fake.calls).toEqual([]); // refused before the audit
  });

  it("fix --apply changes nothing when the answer is not yes", async () => {
    const before = lightsail();
    const { io, err } = cli({ tty: true, answer: "no" });

    expect(await main(["fix", "--apply", "--allowed-ssh-cidrs", ALLOWED], io)).toBe(1);
    expect(err.text).toContain("Nothing was changed.");
    expect(lightsail()).toEqual(before);
  });

  it("fix --apply --yes applies without asking and prints each change with its undo command", async () => {
    const { io, out } = cli();

    const code = await main(
      ["fix", "--apply", "--yes", "--regions", "us-east-1", "--allowed-ssh-cidrs", ALLOWED],
      io,
    );

    expect(code).toBe(0);
    expect(out.text).toMatch(
      /FIXES APPLIED: 1 change made\nApplied:\n- us-east-1\/wordpress-blog: Restrict SSH .*; undo: lightsail-audit undo --change [0-9a-f]{12} --state-table lightsail-auditor-state\)\n/,
    );
  });
});

describe("fix --apply, then the undo command it printed, pasted into a shell", () => {
  it("prints one true header and an undo command that works as printed", async () => {
    const before = copy(ports("us-east-1", "wordpress-blog"));
    const { io, out } = cli();
    io.env = {}; // the table comes from the flag only: the printed command must carry it

    const code = await main(
      [
        "fix",
        "--apply",
        "--yes",
        "--regions",
        "us-east-1",
        "--allowed-ssh-cidrs",
        ALLOWED,
        "--state-table",
        TABLE,
      ],
      io,
    );
    const undo = /undo: (lightsail-audit undo [^)]*)\)/.exec(out.text)?.[1] ?? "";
    // The command as a person pastes it: bash, `lightsail-audit` on the PATH, no STATE_TABLE.
    const bin = await mkdtemp(join(tmpdir(), "bin-"));
    await symlink(
      fileURLToPath(new URL("../../bin/lightsail-audit.mjs", import.meta.url)),
      join(bin, "lightsail-audit"),
    );
    const { STATE_TABLE: _, ...env } = process.env;
    // Asynchronously: the fake answers from this process.
    const pasted = await run("bash", ["-c", undo], {
      env: { ...env, PATH: `${bin}:${env.PATH}` },
    }).catch((err: { code: number; stdout: string; stderr: string }) => err);

    expect(code).toBe(0);
    expect(out.text).not.toMatch(/dry-run|nothing was changed/);
    expect(out.text).toMatch(/^FIXES TO MAKE \(nothing changed yet\)$/m);
    expect(out.text).toContain("FIXES APPLIED: 1 change made");
    expect(undo).toMatch(
      new RegExp(`^lightsail-audit undo --change [0-9a-f]{12} --state-table ${TABLE}$`),
    );
    expect("code" in pasted ? pasted.stderr : "").toBe("");
    expect(pasted.stdout).toContain("undone on us-east-1/wordpress-blog");
    expect(ports("us-east-1", "wordpress-blog")).toEqual(before);
  }, 30_000);
});

describe("the audit Lambda", () => {
  it("applies the fixes after the audit when REMEDIATION=enforce, and lists them in the report", async () => {
    vi.resetModules();
    vi.stubEnv("REMEDIATION", "enforce");
    vi.stubEnv("ALLOWED_SSH_CIDRS", MY_IPV4);
    vi.stubEnv("STATE_TABLE", TABLE);
    try {
      const { handler } = await import("../../functions/audit");
      const event = (await import("../../events/manual-audit-one-region.json")).default;
      const summary = await handler(event);

      expect(summary.fixes).toEqual({ mode: "enforce", planned: 1, applied: 1, failed: 0 });
      const ssh = await new LightsailClient({ region: "us-east-1" }).send(
        new GetInstancesCommand({}),
      );
      const blog = ssh.instances?.find((i) => i.name === "wordpress-blog");
      expect(blog?.networking?.ports?.find((p) => p.fromPort === 22)?.cidrs).toEqual([MY_IPV4]);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
