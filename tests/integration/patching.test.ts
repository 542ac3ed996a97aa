/**
 * Patch enforcement over HTTP: the runner, the engine and the Lambda handler with the real SDK
 * against the local fake (its SSM answers InvocationDoesNotExist on the first look at every
 * invocation, then the configured per-instance result).
 */
import type { Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAwsClients } from "../../shared/aws/clients";
import { createAccountReader } from "../../shared/aws/reader";
import { createPatchCommands } from "../../shared/aws/ssm";
import { parseConfig } from "../../shared/config";
import type { PatchOutcome, PatchPlanEntry } from "../../shared/model";
import { enforcePlan } from "../../shared/patching/runner";
import { managedNode, patchResultLine } from "../fake-aws/accounts/build";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import type { CommandResult } from "../fake-aws/state";
import { expectValidReport } from "../helpers/report-schema";

const DOCUMENT = "lightsail-auditor-prod-enforce-patching";
/** 120 extra nodes in us-east-1: mi-00000000000000000 … mi-00000000000000119. */
const MANY = Array.from({ length: 120 }, (_, i) => `mi-${String(i).padStart(17, "0")}`);

let fake: FakeAws;
const env = () => ({
  AWS_ENDPOINT_URL: fake.url,
  IP_RANGES: `${fake.url}/ip-ranges.json`,
  AWS_ACCESS_KEY_ID: "AKIDTEST",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_REGION: "us-east-1",
  AWS_MAX_ATTEMPTS: "1",
  // Only the patching document is sent here (the inventory's sends: wordpress-audit.test.ts).
  WORDPRESS_INVENTORY: "off",
});

beforeAll(async () => {
  const account = demoAccount(new Date());
  account.ssmNodes["us-east-1"]?.push(
    ...MANY.map((instanceId, i) =>
      managedNode({
        instanceId,
        lightsailName: `site-${i}`,
        lightsailRegion: "us-east-1",
        privateIp: `172.26.100.${i}`,
        registeredAt: new Date(),
        lastPingAt: new Date(),
        activationId: "00000000-0000-4000-8000-000000000000",
      }),
    ),
  );
  fake = await startFakeAws({ account });
  Object.assign(process.env, env());
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  fake.faults.clearFaults();
  fake.resetCalls();
});

const ok = (line = patchResultLine()): CommandResult => ({
  Status: "Success",
  ResponseCode: 0,
  StandardOutputContent: `${line}\n`,
  StandardErrorContent: "",
});

/** A plan that sends to these nodes of us-east-1 with the default parameters. */
function planFor(ids: readonly string[]): PatchPlanEntry[] {
  return ids.map((instanceId, i) => ({
    instance: {
      name: `site-${i}`,
      region: "us-east-1",
      arn: `arn:aws:lightsail:us-east-1:123456789012:Instance/${i}`,
    },
    optedIn: true,
    node: { instanceId, region: "us-east-1", matchedBy: "tag", pingStatus: "Online" },
    action: "send",
    reason: "ready",
    parameters: {
      updatesOrigin: "true",
      automaticReboot: "true",
      automaticRebootTime: "02:00",
      mailTo: "",
    },
  }));
}

const count = (operation: string) => fake.calls.filter((c) => c.operation === operation).length;
function byStatus(outcomes: PatchOutcome[]) {
  const n: Record<string, number> = {};
  for (const o of outcomes) n[o.status] = (n[o.status] ?? 0) + 1;
  return n;
}

describe("enforcePlan against the fake", () => {
  it("sends 120 targets as 50/50/20 and tracks each run to its end, a failure and a timeout included", async () => {
    const failed = MANY[7] ?? "";
    const timedOut = MANY[77] ?? "";
    fake.settings.commandResult = ({ instanceId }) => {
      if (instanceId === failed) {
        return {
          Status: "Failed",
          ResponseCode: 1,
          StandardOutputContent: `${patchResultLine({ errors: ["cannot install unattended-upgrades (apt-get install failed; see the error output)"] })}\n`,
          StandardErrorContent: "E: Unable to locate package unattended-upgrades\n",
        };
      }
      if (instanceId === timedOut) {
        return {
          Status: "TimedOut",
          ResponseCode: -1,
          StandardOutputContent: "",
          StandardErrorContent: "",
        };
      }
      return ok(patchResultLine({ changed: ["/etc/apt/apt.conf.d/90lightsail-auditor-periodic"] }));
    };
    const commands = createPatchCommands(createAwsClients());

    const outcomes = await enforcePlan(planFor(MANY), commands, {
      documentName: DOCUMENT,
      deadline: Date.now() + 60_000,
      now: Date.now,
      initialDelayMs: 1,
    });

    const perCommand = new Map<string, number>();
    for (const o of outcomes)
      perCommand.set(o.commandId ?? "", (perCommand.get(o.commandId ?? "") ?? 0) + 1);
    expect([...perCommand.values()]).toEqual([50, 50, 20]);
    expect(count("SendCommand")).toBe(3);
    // Every invocation was first not there yet (InvocationDoesNotExist), then finished.
    expect(count("GetCommandInvocation")).toBe(240);
    expect(byStatus(outcomes)).toEqual({ succeeded: 118, failed: 1, "timed-out": 1 });
    expect(outcomes.find((o) => o.node.instanceId === failed)).toMatchObject({
      status: "failed",
      responseCode: 1,
      message: expect.stringContaining("cannot install unattended-upgrades"),
      result: expect.objectContaining({ errors: [expect.any(String)] }),
    });
    expect(outcomes.find((o) => o.node.instanceId === timedOut)).toMatchObject({
      status: "timed-out",
      statusDetails: "Execution Timed Out",
    });
    expect(outcomes[0]).toMatchObject({
      status: "succeeded",
      result: expect.objectContaining({
        changed: ["/etc/apt/apt.conf.d/90lightsail-auditor-periodic"],
      }),
    });
  });

  it("stops polling at the deadline and reports the unfinished run pending", async () => {
    const [slow, quick] = MANY;
    fake.settings.commandResult = ({ instanceId }) =>
      instanceId === slow
        ? {
            Status: "InProgress",
            ResponseCode: -1,
            StandardOutputContent: "",
            StandardErrorContent: "",
          }
        : ok();
    let clock = 1_000_000;

    const outcomes = await enforcePlan(
      planFor([slow ?? "", quick ?? ""]),
      createPatchCommands(createAwsClients()),
      {
        documentName: DOCUMENT,
        deadline: clock + 10_000,
        now: () => clock,
        // The fake clock moves by each pause: polls at +1 s, +3 s, +7 s; +15 s is past the deadline.
        sleep: async (ms) => {
          clock += ms;
        },
        initialDelayMs: 1_000,
      },
    );

    expect(outcomes.map((o) => [o.node.instanceId, o.status])).toEqual([
      [slow, "pending"],
      [quick, "succeeded"],
    ]);
    expect(outcomes[0]?.message).toMatch(/^Still running when the audit had to stop/);
    expect(count("GetCommandInvocation")).toBe(3 + 2);
  });

  it("records a refused SendCommand as not sent, and polls nothing", async () => {
    fake.faults.addFault({ service: "ssm", operation: "SendCommand", kind: "access-denied" });

    const outcomes = await enforcePlan(
      planFor(MANY.slice(0, 2)),
      createPatchCommands(createAwsClients()),
      {
        documentName: DOCUMENT,
        deadline: Date.now() + 60_000,
        now: Date.now,
        initialDelayMs: 1,
      },
    );

    expect(outcomes.map((o) => o.status)).toEqual(["not-sent", "not-sent"]);
    expect(outcomes[0]?.message).toMatch(
      /^SendCommand failed: AccessDeniedException: User: .* is not authorized to perform: ssm:SendCommand/,
    );
    expect(count("GetCommandInvocation")).toBe(0);
  });
});

describe("the audit's act stage against the demo account", () => {
  const audit = (raw: Parameters<typeof parseConfig>[0]) =>
    runAudit(
      {
        reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }),
        patching: {
          commands: createPatchCommands(createAwsClients()),
          homeRegion: "us-east-1",
          deadline: Date.now() + 60_000,
          initialDelayMs: 1,
        },
      },
      parseConfig({ ipRanges: `${fake.url}/ip-ranges.json`, wordpressInventory: "off", ...raw }),
    ).then(expectValidReport);
  const sends = (plan: PatchPlanEntry[]) =>
    plan.filter((e) => e.action === "send").map((e) => `${e.instance.region}/${e.instance.name}`);

  it("dry-run (the default) plans the opted-in, managed instances and sends nothing", async () => {
    const report = await audit({});

    expect(report.patching?.mode).toBe("dry-run");
    expect(sends(report.patching?.plan ?? [])).toEqual([
      "us-east-1/wordpress-blog",
      "us-east-1/wordpress-shop",
    ]);
    expect(report.patching?.plan.find((e) => e.instance.name === "mail-relay")).toMatchObject({
      optedIn: true,
      action: "skip",
      reason: expect.stringContaining("no SSM managed node maps to it"),
    });
    expect(report.patching?.outcomes).toEqual([]);
    expect(count("SendCommand")).toBe(0);
  });

  it("enforce sends one command to exactly the planned nodes and reports each outcome", async () => {
    fake.settings.commandResult = ok(patchResultLine({ rebootRequired: true }));

    const report = await audit({ patching: "enforce" });

    expect(count("SendCommand")).toBe(1);
    expect(fake.calls.filter((c) => c.operation === "SendCommand").map((c) => c.region)).toEqual([
      "us-east-1",
    ]);
    expect(
      report.patching?.outcomes.map((o) => [o.instance.name, o.node.instanceId, o.status]),
    ).toEqual([
      ["wordpress-blog", "mi-0123456789abcdef0", "succeeded"],
      ["wordpress-shop", "mi-0fedcba9876543210", "succeeded"],
    ]);
    expect(report.patching?.outcomes[0]?.message).toContain("a reboot is pending");
  });

  it("with targets all, still never sends to a node matched only by name in another region", async () => {
    const report = await audit({ patching: "enforce", patchTargets: "all" });

    expect(report.patching?.plan.find((e) => e.instance.name === "agency-site")).toMatchObject({
      optedIn: true,
      node: { instanceId: "mi-0a1b2c3d4e5f67890", region: "eu-west-2", matchedBy: "name" },
      action: "skip",
      reason: expect.stringContaining(
        "registered in eu-west-2, but the patching document exists in us-east-1 only",
      ),
    });
    expect(sends(report.patching?.plan ?? [])).toEqual([
      "us-east-1/wordpress-blog",
      "us-east-1/wordpress-shop",
    ]);
    expect(count("SendCommand")).toBe(1);
  });
});

describe("the audit Lambda in enforce mode", () => {
  it("honours PATCHING from its environment and stops tracking before its time runs out", async () => {
    fake.settings.commandResult = ok();
    vi.resetModules();
    process.env.PATCHING = "enforce";
    try {
      const { handler } = await import("../../functions/audit");

      // 25 s left less the 20 s kept for the alert: one poll at +2 s (not there yet), then it stops.
      const summary = await handler({ trigger: "manual", regions: ["us-east-1"] }, {
        getRemainingTimeInMillis: () => 25_000,
      } as Context);

      expect(summary.patching).toEqual({
        mode: "enforce",
        sent: 2,
        skipped: summary.patching?.skipped,
        outcomes: { pending: 2 },
      });
      expect(count("SendCommand")).toBe(1);
      expect(count("GetCommandInvocation")).toBe(2);
    } finally {
      delete process.env.PATCHING;
      vi.resetModules();
    }
  });
});
