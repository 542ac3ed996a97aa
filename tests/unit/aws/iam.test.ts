/**
 * The IAM read adapter over a mocked IAMClient (aws-sdk-client-mock): the credential report
 * (generate, poll with backoff, decode bytes), root's virtual MFA devices, the account summary.
 * `sleep` is injected and records the delays: no timers, no wall clock.
 */
import "aws-sdk-client-mock-vitest/extend";
import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetGroupCommand,
  type GetGroupCommandInput,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  type ListAttachedGroupPoliciesCommandInput,
  ListGroupsCommand,
  type ListGroupsCommandInput,
  ListVirtualMFADevicesCommand,
  type ListVirtualMFADevicesCommandInput,
  type ListVirtualMFADevicesCommandOutput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  getAccountSummary,
  getCredentialReportCsv,
  listAdminGroups,
  listRootVirtualMfaSerials,
} from "../../../shared/aws/iam";

const ACCOUNT = "123456789012";
const iam = mockClient(IAMClient);
const client = new IAMClient({ region: "us-east-1" });

beforeEach(() => {
  iam.reset();
});

/** The §5.3 sample (header + root row + one user), as the report's text. */
const CSV = [
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  `<root_account>,arn:aws:iam::${ACCOUNT}:root,2017-06-10T02:35:07+00:00,not_supported,2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  `example.user,arn:aws:iam::${ACCOUNT}:user/example.user,2017-06-10T02:43:37+00:00,true,2017-06-10T02:45:16+00:00,2017-06-10T02:45:50+00:00,N/A,false,true,2017-06-10T02:47:48+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  "",
].join("\n");

/** GetCredentialReport as SDK v3 returns it: the blob already decoded from base64 into bytes. */
const report = (text = CSV) => ({
  Content: new TextEncoder().encode(text),
  ReportFormat: "text/csv" as const,
  GeneratedTime: new Date("2026-08-01T11:58:00Z"),
});

const STARTED = {
  State: "STARTED" as const,
  Description: "No report exists. Starting a new report generation task",
};
const COMPLETE = { State: "COMPLETE" as const };

const notReady = () =>
  new CredentialReportNotReadyException({
    $metadata: { httpStatusCode: 404 },
    message: "Report is in progress",
  });
const notPresent = () =>
  new CredentialReportNotPresentException({
    $metadata: { httpStatusCode: 410 },
    message: "Report not present",
  });

/**
 * A sleep that returns at once and remembers what it was asked to wait. It refuses a 50th pause,
 * so a poll loop that never gives up fails fast instead of spinning forever.
 */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    if (delays.length >= 49) throw new Error("polled too often");
    delays.push(ms);
  };
  return { delays, sleep };
}

describe("getCredentialReportCsv", () => {
  it("generates, then decodes the Content bytes as UTF-8 text (never base64 a second time)", async () => {
    // Prepare
    iam.on(GenerateCredentialReportCommand).resolves(STARTED);
    iam.on(GetCredentialReportCommand).resolves(report());
    const { sleep } = recordingSleep();

    // Act
    const text = await getCredentialReportCsv(client, { sleep });

    // Assess
    expect(text).toBe(CSV);
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    // Generate comes first.
    expect(iam.call(0).args[0]).toBeInstanceOf(GenerateCredentialReportCommand);
  });

  it("fails when GetCredentialReport returns no content, rather than reading it as no users", async () => {
    iam.on(GenerateCredentialReportCommand).resolves(STARTED);
    iam.on(GetCredentialReportCommand).resolves({ ReportFormat: "text/csv", $metadata: {} });

    await expect(getCredentialReportCsv(client, recordingSleep())).rejects.toMatchObject({
      name: "EmptyCredentialReport",
    });
  });

  it("reads at once without pausing when Generate answers COMPLETE", async () => {
    iam.on(GenerateCredentialReportCommand).resolves(COMPLETE);
    iam.on(GetCredentialReportCommand).resolves(report());
    const { delays, sleep } = recordingSleep();

    const text = await getCredentialReportCsv(client, { sleep });

    expect(text).toBe(CSV);
    expect(delays).toEqual([]);
  });

  it("polls while Get throws CredentialReportNotReadyException, with doubling delays", async () => {
    // Prepare
    iam.on(GenerateCredentialReportCommand).resolves(COMPLETE);
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .resolves(report());
    const { delays, sleep } = recordingSleep();

    // Act
    const text = await getCredentialReportCsv(client, { sleep, initialDelayMs: 500 });

    // Assess: one pause per "in progress" answer, each twice the one before.
    expect(text).toBe(CSV);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 3);
    expect(delays).toEqual([500, 1000]);
    // In progress is not "not present": no second Generate.
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 1);
  });

  it("also recognises the wire code ReportInProgress on Code (name 'Error')", async () => {
    const byCode = () =>
      Object.assign(new Error("Report is in progress"), { Code: "ReportInProgress" });
    iam.on(GenerateCredentialReportCommand).resolves(COMPLETE);
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(byCode())
      .rejectsOnce(byCode())
      .resolves(report());
    const { delays, sleep } = recordingSleep();

    const text = await getCredentialReportCsv(client, { sleep, initialDelayMs: 100 });

    expect(text).toBe(CSV);
    expect(delays).toEqual([100, 200]);
  });

  it("caps the doubling delay at 4 s", async () => {
    iam.on(GenerateCredentialReportCommand).resolves(STARTED);
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .rejectsOnce(notReady())
      .resolves(report());
    const { delays, sleep } = recordingSleep();

    await getCredentialReportCsv(client, { sleep, initialDelayMs: 1000 });

    expect(delays).toEqual([1000, 2000, 4000, 4000, 4000]);
  });

  it("gives up with an 'in progress' error once maxWaitMs has been waited", async () => {
    // Prepare
    iam.on(GenerateCredentialReportCommand).resolves(STARTED);
    iam.on(GetCredentialReportCommand).rejects(notReady());
    const { delays, sleep } = recordingSleep();

    // Act
    const call = getCredentialReportCsv(client, { sleep, initialDelayMs: 500, maxWaitMs: 3000 });

    // Assess
    await expect(call).rejects.toThrow(/in progress/);
    expect(delays).toEqual([500, 1000, 2000]);
    // It stopped as soon as the time waited reached maxWaitMs, not one pause earlier or later.
    expect(delays.slice(0, -1).reduce((a, b) => a + b, 0)).toBeLessThan(3000);
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3000);
    // Never gave up without asking once more after the last pause.
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, delays.length + 1);
  });

  it("regenerates once when the report is not present, then reads it", async () => {
    // Prepare
    iam.on(GenerateCredentialReportCommand).resolvesOnce(COMPLETE).resolvesOnce(STARTED);
    iam.on(GetCredentialReportCommand).rejectsOnce(notPresent()).resolves(report());

    // Act
    const text = await getCredentialReportCsv(client, { sleep: recordingSleep().sleep });

    // Assess: Generate, Get (not present), Generate, Get.
    expect(text).toBe(CSV);
    const order = iam
      .calls()
      .map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
    expect(order).toEqual([
      "GenerateCredentialReportCommand",
      "GetCredentialReportCommand",
      "GenerateCredentialReportCommand",
      "GetCredentialReportCommand",
    ]);
  });

  it("regenerates when the report has expired (ReportExpired)", async () => {
    iam.on(GenerateCredentialReportCommand).resolves(COMPLETE);
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(
        new CredentialReportExpiredException({ $metadata: {}, message: "Report expired" }),
      )
      .resolves(report());

    const text = await getCredentialReportCsv(client, { sleep: recordingSleep().sleep });

    expect(text).toBe(CSV);
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
  });

  it("regenerates only once: a second 'not present' propagates", async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce(COMPLETE)
      .resolvesOnce(COMPLETE)
      .rejects(new Error("unexpected third GenerateCredentialReport"));
    iam.on(GetCredentialReportCommand).rejects(notPresent());

    const call = getCredentialReportCsv(client, { sleep: recordingSleep().sleep });

    await expect(call).rejects.toMatchObject({ name: "CredentialReportNotPresentException" });
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 2);
  });

  it("lets AccessDenied propagate unchanged, without polling", async () => {
    // Prepare
    const denied = Object.assign(
      new Error(
        `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:GetCredentialReport`,
      ),
      { name: "AccessDenied", $metadata: { httpStatusCode: 403 } },
    );
    iam.on(GenerateCredentialReportCommand).resolves(COMPLETE);
    iam.on(GetCredentialReportCommand).rejects(denied);
    const { delays, sleep } = recordingSleep();

    // Act
    const call = getCredentialReportCsv(client, { sleep });

    // Assess
    await expect(call).rejects.toBe(denied);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    expect(delays).toEqual([]);
  });

  it("lets an AccessDenied on Generate propagate", async () => {
    const denied = Object.assign(
      new Error("not authorized to perform: iam:GenerateCredentialReport"),
      {
        name: "AccessDenied",
      },
    );
    iam.on(GenerateCredentialReportCommand).rejects(denied);

    await expect(getCredentialReportCsv(client, { sleep: recordingSleep().sleep })).rejects.toBe(
      denied,
    );
    expect(iam).not.toHaveReceivedCommand(GetCredentialReportCommand);
  });
});

type MfaDevice = NonNullable<ListVirtualMFADevicesCommandOutput["VirtualMFADevices"]>[number];

/** Root's device as a real CLI capture shows it: User has Arn ...:root and no UserName or Path. */
const rootDevice = (serial: string): MfaDevice => ({
  SerialNumber: serial,
  EnableDate: new Date("2019-10-28T01:06:07Z"),
  User: {
    UserId: ACCOUNT,
    Arn: `arn:aws:iam::${ACCOUNT}:root`,
    CreateDate: new Date("2017-06-10T02:35:07Z"),
    PasswordLastUsed: new Date("2026-07-01T00:00:00Z"),
  } as MfaDevice["User"],
});

const userDevice = (name: string): MfaDevice => ({
  SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/${name}`,
  EnableDate: new Date("2024-01-01T00:00:00Z"),
  User: {
    Path: "/",
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: new Date("2023-01-01T00:00:00Z"),
  },
});

/**
 * Pages keyed by the Marker that must be sent; records a copy of every input as sent (the
 * paginator reuses one input object). Refuses more calls than pages, so a loop fails fast.
 */
function serveMfaPages(
  pages: Record<string, Omit<ListVirtualMFADevicesCommandOutput, "$metadata">>,
) {
  const sent: ListVirtualMFADevicesCommandInput[] = [];
  iam.on(ListVirtualMFADevicesCommand).callsFake((input: ListVirtualMFADevicesCommandInput) => {
    sent.push({ ...input });
    if (sent.length > Object.keys(pages).length) throw new Error("more calls than pages");
    const page = pages[input.Marker ?? "<first>"];
    if (!page) throw new Error(`unexpected Marker ${String(input.Marker)}`);
    return page;
  });
  return sent;
}

describe("listRootVirtualMfaSerials", () => {
  it("pages with IsTruncated/Marker, asks for Assigned devices, and keeps only root's", async () => {
    // Prepare: root's device (named by the owner, not the legacy serial) sits on page 2.
    const rootSerial = `arn:aws:iam::${ACCOUNT}:mfa/owner-phone`;
    const sent = serveMfaPages({
      "<first>": {
        VirtualMFADevices: [userDevice("alice"), userDevice("bob")],
        IsTruncated: true,
        Marker: "m2",
      },
      m2: {
        VirtualMFADevices: [userDevice("carol"), rootDevice(rootSerial)],
        IsTruncated: true,
        Marker: "m3",
      },
      m3: { VirtualMFADevices: [userDevice("dave")], IsTruncated: false },
    });

    // Act
    const serials = await listRootVirtualMfaSerials(client);

    // Assess
    expect(serials).toEqual([rootSerial]);
    expect(sent.map((i) => i.Marker)).toEqual([undefined, "m2", "m3"]);
    expect(sent.every((i) => i.AssignmentStatus === "Assigned")).toBe(true);
  });

  it("recognises root by User.Arn even with no UserName (the real capture shape)", async () => {
    const device = rootDevice(`arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`);
    expect(device.User).not.toHaveProperty("UserName");
    serveMfaPages({ "<first>": { VirtualMFADevices: [device], IsTruncated: false } });

    const serials = await listRootVirtualMfaSerials(client);

    expect(serials).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`]);
  });

  it("falls back to the legacy serial mfa/root-account-mfa-device when User is absent", async () => {
    const legacy: MfaDevice = {
      SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
      EnableDate: new Date("2016-01-01T00:00:00Z"),
    };
    serveMfaPages({
      "<first>": { VirtualMFADevices: [userDevice("alice"), legacy], IsTruncated: false },
    });

    const serials = await listRootVirtualMfaSerials(client);

    expect(serials).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`]);
  });

  it("does not take an IAM user's device named root-account-mfa-device for root's", async () => {
    const impostor: MfaDevice = {
      SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
      User: {
        UserName: "mallory",
        Arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      } as MfaDevice["User"],
    };
    serveMfaPages({ "<first>": { VirtualMFADevices: [impostor], IsTruncated: false } });

    await expect(listRootVirtualMfaSerials(client)).resolves.toEqual([]);
  });

  it("works in other partitions (aws-us-gov root ARN)", async () => {
    const device: MfaDevice = {
      SerialNumber: `arn:aws-us-gov:iam::${ACCOUNT}:mfa/root-phone`,
      User: { Arn: `arn:aws-us-gov:iam::${ACCOUNT}:root` } as MfaDevice["User"],
    };
    serveMfaPages({ "<first>": { VirtualMFADevices: [device], IsTruncated: false } });

    await expect(listRootVirtualMfaSerials(client)).resolves.toEqual([
      `arn:aws-us-gov:iam::${ACCOUNT}:mfa/root-phone`,
    ]);
  });

  it("returns [] when only IAM users have virtual devices (a user named 'root' included)", async () => {
    serveMfaPages({
      "<first>": {
        VirtualMFADevices: [userDevice("alice"), userDevice("root")],
        IsTruncated: false,
      },
    });

    await expect(listRootVirtualMfaSerials(client)).resolves.toEqual([]);
  });

  it("lets an error propagate unchanged", async () => {
    const denied = Object.assign(
      new Error("not authorized to perform: iam:ListVirtualMFADevices"),
      {
        name: "AccessDenied",
      },
    );
    iam.on(ListVirtualMFADevicesCommand).rejects(denied);

    await expect(listRootVirtualMfaSerials(client)).rejects.toBe(denied);
  });
});

describe("getAccountSummary", () => {
  it("returns the SummaryMap as a plain record", async () => {
    // Prepare: the CLI example omits AccountPasswordPresent; nothing is invented for it.
    const summary = {
      AccountMFAEnabled: 0,
      AccountAccessKeysPresent: 1,
      Users: 27,
      MFADevicesInUse: 3,
    };
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: summary });

    // Act
    const result = await getAccountSummary(client);

    // Assess
    expect(result).toEqual(summary);
    expect(result).not.toHaveProperty("AccountPasswordPresent");
  });

  it("returns {} when SummaryMap is absent", async () => {
    iam.on(GetAccountSummaryCommand).resolves({});

    await expect(getAccountSummary(client)).resolves.toEqual({});
  });
});

describe("listAdminGroups", () => {
  const group = (name: string) => ({
    Path: "/",
    GroupName: name,
    GroupId: `AGPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    CreateDate: new Date("2024-01-01T00:00:00Z"),
  });
  const user = (name: string) => ({
    Path: "/",
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: new Date("2024-01-01T00:00:00Z"),
  });
  const ADMIN = {
    PolicyName: "AdministratorAccess",
    PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
  };
  const READ_ONLY = {
    PolicyName: "ReadOnlyAccess",
    PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
  };

  /**
   * Serves ListGroups, ListAttachedGroupPolicies and GetGroup from plain data, each paged with
   * Marker/IsTruncated (one item per page, so every paginator is exercised). Records the calls.
   */
  function serveIam(
    groups: string[],
    policies: Record<string, { PolicyName: string; PolicyArn: string }[]>,
    members: Record<string, string[]>,
  ) {
    const calls: string[] = [];
    const page = <T>(items: T[], marker: string | undefined) => {
      const i = Number(marker ?? 0);
      const next = i + 1 < items.length ? String(i + 1) : undefined;
      return { items: items.slice(i, i + 1), IsTruncated: next !== undefined, Marker: next };
    };
    iam.on(ListGroupsCommand).callsFake((input: ListGroupsCommandInput) => {
      calls.push(`ListGroups ${input.Marker ?? "-"}`);
      const { items, ...rest } = page(groups.map(group), input.Marker);
      return { Groups: items, ...rest };
    });
    iam
      .on(ListAttachedGroupPoliciesCommand)
      .callsFake((input: ListAttachedGroupPoliciesCommandInput) => {
        calls.push(`ListAttachedGroupPolicies ${input.GroupName} ${input.Marker ?? "-"}`);
        const { items, ...rest } = page(policies[input.GroupName ?? ""] ?? [], input.Marker);
        return { AttachedPolicies: items, ...rest };
      });
    iam.on(GetGroupCommand).callsFake((input: GetGroupCommandInput) => {
      calls.push(`GetGroup ${input.GroupName} ${input.Marker ?? "-"}`);
      const { items, ...rest } = page(
        (members[input.GroupName ?? ""] ?? []).map(user),
        input.Marker,
      );
      return { Group: group(input.GroupName ?? ""), Users: items, ...rest };
    });
    return calls;
  }

  it("pages every list, keeps only groups with AdministratorAccess, and reads members of those only", async () => {
    // Prepare
    const calls = serveIam(
      ["Editors", "Administrators"],
      { Editors: [READ_ONLY], Administrators: [READ_ONLY, ADMIN] },
      { Editors: ["editor"], Administrators: ["admin", "ops"] },
    );

    // Act
    const groups = await listAdminGroups(client);

    // Assess
    expect(groups).toEqual([
      {
        name: "Administrators",
        arn: `arn:aws:iam::${ACCOUNT}:group/Administrators`,
        userNames: ["admin", "ops"],
      },
    ]);
    expect(calls).toEqual([
      "ListGroups -",
      "ListAttachedGroupPolicies Editors -",
      "ListGroups 1",
      "ListAttachedGroupPolicies Administrators -",
      "ListAttachedGroupPolicies Administrators 1",
      "GetGroup Administrators -",
      "GetGroup Administrators 1",
    ]);
  });

  it("keeps an admin group with no members, with userNames []", async () => {
    serveIam(["Administrators"], { Administrators: [ADMIN] }, {});

    await expect(listAdminGroups(client)).resolves.toEqual([
      {
        name: "Administrators",
        arn: `arn:aws:iam::${ACCOUNT}:group/Administrators`,
        userNames: [],
      },
    ]);
  });

  it("stops reading a group's policies once AdministratorAccess is found", async () => {
    const calls = serveIam(
      ["Admins"],
      { Admins: [ADMIN, READ_ONLY, READ_ONLY] },
      { Admins: ["a"] },
    );

    await listAdminGroups(client);

    expect(calls.filter((c) => c.startsWith("ListAttachedGroupPolicies"))).toEqual([
      "ListAttachedGroupPolicies Admins -",
    ]);
  });

  it.each([
    ["aws-cn", "arn:aws-cn:iam::aws:policy/AdministratorAccess", true],
    ["aws-us-gov", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess", true],
    [
      "a customer policy of the same name",
      `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess`,
      false,
    ],
    ["a lookalike AWS policy", "arn:aws:iam::aws:policy/AdministratorAccess-Amplify", false],
    ["a job-function policy", "arn:aws:iam::aws:policy/job-function/SystemAdministrator", false],
  ])("matches the AdministratorAccess ARN by partition: %s", async (_what, arn, admin) => {
    serveIam(["G"], { G: [{ PolicyName: "AdministratorAccess", PolicyArn: arn }] }, { G: ["u"] });

    const groups = await listAdminGroups(client);

    expect(groups.map((g) => g.name)).toEqual(admin ? ["G"] : []);
  });

  it("returns [] for an account without groups", async () => {
    serveIam([], {}, {});

    await expect(listAdminGroups(client)).resolves.toEqual([]);
  });

  it("lets an error on any call propagate unchanged (no partial list)", async () => {
    serveIam(["Administrators"], { Administrators: [ADMIN] }, {});
    const denied = Object.assign(new Error("not authorized to perform: iam:GetGroup"), {
      name: "AccessDenied",
    });
    iam.on(GetGroupCommand).rejects(denied);

    await expect(listAdminGroups(client)).rejects.toBe(denied);
  });
});
