/**
 * Organization mode over HTTP: the fake serves several accounts (picked by the credentials), STS
 * AssumeRole and AWS Organizations; the real SDK clients, the discovery and the member readers
 * run against it, and a small organization is audited end to end with the single-account engine.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetInstancesCommand, LightsailClient } from "@aws-sdk/client-lightsail";
import {
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runAudit } from "../../shared/audit";
import { createMemberReaders, createMemberSessions } from "../../shared/aws/member";
import { createOrganizationSource } from "../../shared/aws/organizations";
import { main } from "../../shared/cli";
import { parseConfig } from "../../shared/config";
import { AssumeRoleError } from "../../shared/errors";
import type { AuditReport } from "../../shared/model";
import { discoverAccounts, parseAccountIds, parseUnitIds } from "../../shared/org/discover";
import { buildOrgReport, type OrgReport, orgReportSchema } from "../../shared/org/report";
import { auditAccounts, memberAuditConfig } from "../../shared/org/run";
import { exportToSecurityHub } from "../../shared/report/security-hub";
import {
  DEFAULT_MEMBER_ROLE,
  MANAGEMENT_ACCOUNT_ID,
  memberId,
  ORG_UNITS,
  type SyntheticOrganization,
  syntheticOrganization,
} from "../fake-aws/accounts/organization";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { expectValidOrgReport } from "../helpers/org-report-schema";
import { expectValidReport } from "../helpers/report-schema";

const NOW = new Date("2026-11-25T12:00:00Z");
const credentials = { accessKeyId: "AKIDMANAGEMENT", secretAccessKey: "secret" };
let fake: FakeAws;
let org: SyntheticOrganization;

const config = (region = "us-east-1") => ({
  region,
  endpoint: fake.url,
  credentials,
  maxAttempts: 1,
});

beforeAll(async () => {
  // 25 members: two pages of ListAccounts; 6 and 18 without the role, 24 suspended.
  org = syntheticOrganization({ accounts: 25, withoutRole: 2, suspended: 1, now: NOW });
  fake = await startFakeAws({
    account: org.management,
    members: org.members,
    organization: org.organization,
    now: () => NOW,
  });
  vi.stubEnv("AWS_ENDPOINT_URL", fake.url);
  vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_MAX_ATTEMPTS", "1");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
});

describe("the fake's accounts, STS and Organizations", () => {
  it("AssumeRole hands out credentials that act in the member account", async () => {
    const sts = new STSClient(config());
    const target = memberId(3);
    const roleArn = `arn:aws:iam::${target}:role/${DEFAULT_MEMBER_ROLE}`;

    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "test-session" }),
    );
    const c = assumed.Credentials;
    const asMember = {
      accessKeyId: c?.AccessKeyId ?? "",
      secretAccessKey: c?.SecretAccessKey ?? "",
      sessionToken: c?.SessionToken,
    };
    const identity = await new STSClient({ ...config(), credentials: asMember }).send(
      new GetCallerIdentityCommand({}),
    );
    const region = Object.keys(fake.accounts.get(target)?.lightsail ?? {})[0] ?? "";
    const instances = await new LightsailClient({
      ...config(region),
      credentials: asMember,
    }).send(new GetInstancesCommand({}));
    const own = await sts.send(new GetCallerIdentityCommand({}));

    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.Expiration).toBeInstanceOf(Date);
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${target}:assumed-role/${DEFAULT_MEMBER_ROLE}/test-session`,
    );
    expect(identity.Account).toBe(target);
    expect(identity.Arn).toBe(assumed.AssumedRoleUser?.Arn);
    expect(instances.instances?.length).toBe(
      fake.accounts.get(target)?.lightsail[region]?.instances.length,
    );
    expect(instances.instances?.every((i) => i.arn?.includes(`:${target}:`))).toBe(true);
    expect(own.Account).toBe(MANAGEMENT_ACCOUNT_ID);
  });

  it("AssumeRole is AccessDenied without the role, in a suspended account, and for an unknown account", async () => {
    const sts = new STSClient(config());
    const denied = async (accountId: string) =>
      sts
        .send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${accountId}:role/${DEFAULT_MEMBER_ROLE}`,
            RoleSessionName: "s1",
          }),
        )
        .then(
          () => undefined,
          (e: Error & { $metadata: { httpStatusCode?: number } }) => e,
        );

    for (const id of [...org.withoutRole, ...org.suspended, "999999999999"]) {
      const error = await denied(id);
      expect(error?.name, id).toBe("AccessDenied");
      expect(error?.$metadata.httpStatusCode).toBe(403);
      expect(error?.message).toContain("is not authorized to perform: sts:AssumeRole on resource");
    }
  });

  it("ListAccounts pages 20 at a time and lists the SUSPENDED account too", async () => {
    const client = new OrganizationsClient(config());
    const pages = [];
    for await (const page of paginateListAccounts({ client }, {})) pages.push(page);
    const accounts = pages.flatMap((p) => p.Accounts ?? []);

    expect(pages.map((p) => p.Accounts?.length)).toEqual([20, 6]);
    expect(accounts).toHaveLength(26);
    expect(accounts.find((a) => a.Id === org.suspended[0])).toMatchObject({
      Status: "SUSPENDED",
      State: "SUSPENDED",
    });
    expect(accounts[1]?.JoinedTimestamp).toBeInstanceOf(Date);
    expect(accounts[1]?.Arn).toBe(
      `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:account/o-ab12cd34ef/${accounts[1]?.Id}`,
    );
  });

  it("refuses Organizations to a member that is not a delegated administrator", async () => {
    const sts = new STSClient(config());
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${memberId(1)}:role/${DEFAULT_MEMBER_ROLE}`,
        RoleSessionName: "s2",
      }),
    );
    const client = new OrganizationsClient({
      ...config(),
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
      },
    });

    await expect(client.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });
});

describe("discovery", () => {
  const source = () => createOrganizationSource(new OrganizationsClient(config()));

  it("audits every ACTIVE account with its OU path; suspended ones are listed as not audited", async () => {
    const found = await discoverAccounts(source(), {
      accounts: "organization",
      organizationalUnits: [],
      excludeAccounts: [memberId(5)],
    });

    expect(found.organizationId).toBe("o-ab12cd34ef");
    // 26 accounts, minus the suspended one and the excluded one.
    expect(found.targets).toHaveLength(24);
    expect(found.targets.map((t) => t.id)).not.toContain(memberId(5));
    expect(found.targets.find((t) => t.id === memberId(0))).toEqual({
      id: memberId(0),
      name: "client-0000",
      ouPath: "Root/Clients/Agency A",
    });
    expect(found.targets.find((t) => t.id === MANAGEMENT_ACCOUNT_ID)?.ouPath).toBe("Root");
    expect(found.notAudited).toEqual([
      expect.objectContaining({ id: org.suspended[0], reason: "suspended" }),
    ]);
  });

  it("narrows to OUs recursively", async () => {
    const found = await discoverAccounts(source(), {
      accounts: "organization",
      organizationalUnits: [ORG_UNITS.clients],
      excludeAccounts: [],
    });
    const paths = new Set(found.targets.map((t) => t.ouPath));

    expect(paths).toEqual(
      new Set(["Root/Clients", "Root/Clients/Agency A", "Root/Clients/Agency B"]),
    );
    // Members 0..24 by turns over Agency A, Agency B, Clients, Internal: 19 under Clients, of
    // which 24 (Agency A) is suspended.
    expect(found.targets).toHaveLength(18);
  });

  it("names an OU id that is not in the organization", async () => {
    await expect(
      discoverAccounts(source(), {
        accounts: "organization",
        organizationalUnits: ["ou-ab12-nothere0"],
        excludeAccounts: [],
      }),
    ).rejects.toThrow(/ou-ab12-nothere0/);
  });

  it("takes an explicit list as is, without calling Organizations", async () => {
    fake.resetCalls();
    const found = await discoverAccounts(undefined, {
      accounts: "list",
      ids: [memberId(1), memberId(2)],
      excludeAccounts: [memberId(2)],
    });

    expect(found.targets).toEqual([{ id: memberId(1) }]);
    expect(fake.calls).toEqual([]);
  });

  it("validates account and OU ids", () => {
    expect(parseAccountIds("123456789012, 000011112222", "--accounts")).toEqual([
      "123456789012",
      "000011112222",
    ]);
    expect(() => parseAccountIds("12345678901", "--accounts")).toThrow(
      /"12345678901" is not an AWS account id/,
    );
    expect(() => parseAccountIds("1234567890123", "--accounts")).toThrow(/exactly 12 digits/);
    expect(() => parseAccountIds(" , ", "--accounts")).toThrow(/empty/);
    expect(parseUnitIds("ou-ab12-clients0,r-ab12", "--ou")).toEqual(["ou-ab12-clients0", "r-ab12"]);
    expect(() => parseUnitIds("ou-AB12-x", "--ou")).toThrow(/not an OU id/);
  });
});

describe("auditing the organization", () => {
  it("audits each account through its role; the others are listed with their reasons", async () => {
    const sts = new STSClient(config());
    const readerFor = createMemberReaders({ sts, roleName: DEFAULT_MEMBER_ROLE });
    const auditConfig = memberAuditConfig(
      parseConfig({ regions: "us-east-1,us-west-2,eu-west-2,eu-central-1,ap-southeast-2" }),
    );
    const found = await discoverAccounts(
      createOrganizationSource(new OrganizationsClient(config())),
      {
        accounts: "organization",
        organizationalUnits: [],
        excludeAccounts: [],
      },
    );
    const progress: number[] = [];

    const result = await auditAccounts(found.targets, {
      readerFor,
      audit: (reader, deadline) => runAudit({ reader, deadline, now: () => NOW }, auditConfig),
      concurrency: 4,
      deadline: Date.now() + 60_000,
      onAccountDone: (p) => progress.push(p.done),
    });
    const report = buildOrgReport({
      organizationId: found.organizationId,
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      roleName: DEFAULT_MEMBER_ROLE,
      selection: { accounts: "organization", organizationalUnits: [], excludeAccounts: [] },
      accounts: result.accounts,
      notAudited: [...found.notAudited, ...result.notAudited],
    });

    expect(progress).toHaveLength(25);
    expect(report.totals).toMatchObject({ selected: 26, audited: 23, notAudited: 3 });
    expect(report.notAudited.map((n) => [n.accountId, n.reason])).toEqual(
      [
        [org.withoutRole[0], "assume-role-denied"],
        [org.withoutRole[1], "assume-role-denied"],
        [org.suspended[0], "suspended"],
      ].sort(),
    );
    expect(report.notAudited[0]?.message).toContain("the role is missing in that account");
    // Each entry is its own account's audit, worst first.
    const first = report.accounts[0];
    const worstCounts = report.accounts.map(
      (a) => a.failBySeverity.critical * 1000 + a.failBySeverity.high,
    );
    expect(worstCounts).toEqual([...worstCounts].sort((a, b) => b - a));
    expect(first?.worst.length).toBeGreaterThan(0);
    expect(report.accounts.every((a) => a.incomplete === false)).toBe(true);
    expect(orgReportSchema.parse(report)).toEqual(report);
    expectValidOrgReport(report);
  });

  it("a member whose AssumeRole is throttled past its retries is assume-role-failed", async () => {
    fake.faults.addFault({ service: "sts", operation: "AssumeRole", kind: "throttle", times: 1 });
    const readerFor = createMemberReaders({
      sts: new STSClient(config()),
      roleName: DEFAULT_MEMBER_ROLE,
    });

    const error = await readerFor(memberId(1)).catch((e: unknown) => e);
    fake.faults.clearFaults();

    expect(error).toBeInstanceOf(AssumeRoleError);
    expect(error).toMatchObject({ denied: false });
    expect((error as Error).message).toContain("Throttling");
  });
});

describe("lightsail-audit --organization / --accounts", () => {
  const run = async (argv: string[]) => {
    const out = { stdout: "", stderr: "" };
    const code = await main(argv, {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: process.env,
    });
    return { code, ...out };
  };
  const regions = "us-east-1,us-west-2,eu-west-2,eu-central-1,ap-southeast-2";

  it("prints a per-account table, worst first, and the accounts not audited; progress on stderr", async () => {
    const { code, stdout, stderr } = await run([
      "--organization",
      "--ou",
      ORG_UNITS.clients,
      "--regions",
      regions,
      "--account-concurrency",
      "3",
    ]);

    expect(stderr).toContain(
      "Auditing 18 accounts through role lightsail-auditor-member, 3 at a time (1 not ACTIVE, skipped)",
    );
    expect(stderr).toContain("Accounts: 18/18 done, 2 not audited");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Lightsail audit of 19 accounts \(organization o-ab12cd34ef, role lightsail-auditor-member\)/,
    );
    expect(stdout).toMatch(/ACCOUNT\s+NAME\s+OU\s+CRIT\s+HIGH\s+MED\s+LOW\s+AUDIT\s+WORST FINDING/);
    expect(stdout).toContain("Root/Clients/Agency A");
    expect(stdout).toMatch(
      new RegExp(`${org.withoutRole[0]}\\s+client-0006\\s+assume-role-denied`),
    );
    expect(stdout).toMatch(new RegExp(`${org.suspended[0]}\\s+client-0024\\s+suspended`));
  });

  it("--format json gives the organization report; --output-dir holds each account's report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "org-"));
    try {
      const { code, stdout } = await run([
        "--accounts",
        `${memberId(1)},${memberId(2)},${org.withoutRole[1]}`,
        "--exclude",
        memberId(2),
        "--regions",
        regions,
        "--format",
        "json",
        "--output-dir",
        dir,
      ]);
      const report = JSON.parse(stdout) as OrgReport;
      const own = JSON.parse(readFileSync(join(dir, `${memberId(1)}.json`), "utf8")) as AuditReport;

      expect(code).toBe(0);
      expectValidOrgReport(report);
      expectValidReport(own);
      expect(report.selection).toEqual({
        accounts: "list",
        organizationalUnits: [],
        excludeAccounts: [memberId(2)],
      });
      expect(report.accounts.map((a) => a.accountId)).toEqual([memberId(1)]);
      expect(report.accounts[0]?.report).toBe(join(dir, `${memberId(1)}.json`));
      expect(own.accountId).toBe(memberId(1));
      expect(report.notAudited).toEqual([
        expect.objectContaining({ accountId: org.withoutRole[1], reason: "assume-role-denied" }),
      ]);
      expect(readdirSync(dir)).toEqual([`${memberId(1)}.json`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--format markdown escapes the names member accounts chose", async () => {
    const live = fake.organization?.accounts.find((a) => a.Id === memberId(1));
    if (!live) throw new Error("no member 1");
    const before = live.Name;
    live.Name = "evil | <img src=x> [x](https://evil.example)";
    try {
      const { code, stdout } = await run([
        "--organization",
        "--ou",
        ORG_UNITS.agencyB,
        "--regions",
        "us-east-1",
        "--format",
        "markdown",
      ]);

      expect(code).toBe(0);
      expect(stdout).toContain("# Lightsail audit of 6 accounts");
      expect(stdout).toContain("evil \\| &lt;img src=x&gt; \\[x\\]\\(https\\://evil.example\\)");
      expect(stdout).not.toContain("<img");
    } finally {
      live.Name = before;
    }
  });

  it("--fail-on exits 2 on a finding at or above, 3 when only accounts were not audited", async () => {
    const failing = await run([
      "--accounts",
      memberId(1),
      "--regions",
      regions,
      "--fail-on",
      "low",
    ]);
    const notAudited = await run(["--accounts", org.withoutRole[0] ?? "", "--fail-on", "critical"]);

    expect(failing.code).toBe(2);
    expect(notAudited.code).toBe(3);
  });

  it("refuses bad and conflicting flags, naming them", async () => {
    const cases: [string[], RegExp][] = [
      [["--accounts", "12345"], /Invalid --accounts: "12345" is not an AWS account id/],
      [["--organization", "--accounts", memberId(1)], /either --organization or --accounts/],
      [["--ou", ORG_UNITS.clients], /--ou needs --organization or --accounts/],
      [["--organization", "--role-name", "a b"], /Invalid --role-name/],
      [["--organization", "--account-concurrency", "0"], /Invalid --account-concurrency/],
      [["--organization", "--notify"], /--notify cannot be used with --organization/],
      [
        ["--organization", "--output-dir", "/nonexistent-dir-x"],
        /--output-dir \/nonexistent-dir-x: no such directory/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(" ")).toBe(1);
      expect(stderr, argv.join(" ")).toMatch(message);
    }
  });
});

describe("Security Hub in a member account", () => {
  it("imports the member's findings into its own hub, signed with its member role's session", async () => {
    // A loopback Security Hub that records who signed each import and what it carried.
    const seen: { key: string; findings: { AwsAccountId: string; ProductArn: string }[] }[] = [];
    const hub = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const findings = (JSON.parse(body) as { Findings: (typeof seen)[number]["findings"] })
          .Findings;
        seen.push({
          key: /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "",
          findings,
        });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ FailedCount: 0, SuccessCount: findings.length, FailedFindings: [] }),
        );
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
    const { port } = hub.address() as AddressInfo;
    vi.stubEnv("AWS_ENDPOINT_URL_SECURITYHUB", `http://127.0.0.1:${port}`);
    try {
      const id = memberId(1);
      const session = await createMemberSessions({
        sts: new STSClient(config()),
        roleName: DEFAULT_MEMBER_ROLE,
      })(id);
      const auditConfig = memberAuditConfig(parseConfig({ regions: "us-east-1" }));
      const report = await runAudit({ reader: session.reader, now: () => NOW }, auditConfig);

      const exported = await exportToSecurityHub(session.securityHub("us-east-1"), report, {
        region: "us-east-1",
        checksRun: auditConfig.checks,
        now: NOW,
      });

      expect(exported.failures).toEqual([]);
      expect(seen.length).toBeGreaterThan(0);
      // Not the auditor's own credentials: the session AssumeRole gave for this member.
      expect(new Set(seen.map((s) => s.key))).not.toContain(credentials.accessKeyId);
      const findings = seen.flatMap((s) => s.findings);
      expect(findings).toHaveLength(report.results.length);
      for (const f of findings) {
        expect(f.AwsAccountId).toBe(id);
        expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${id}:product/${id}/default`);
      }
    } finally {
      vi.stubEnv("AWS_ENDPOINT_URL_SECURITYHUB", undefined);
      await new Promise((resolve) => hub.close(resolve));
    }
  });
});
