/**
 * The runner over a hand-written PatchCommands (plain async functions) and a fake clock: what is
 * sent, in which chunks, and how results are tracked until the deadline.
 */
import { describe, expect, it } from "vitest";
import type { PatchPlanEntry } from "../../../shared/model";
import { runPatching } from "../../../shared/patching/act";
import {
  chunk,
  enforcePlan,
  type Invocation,
  type PatchCommands,
  type SendCommandRequest,
} from "../../../shared/patching/runner";
import {
  instance,
  managedNode,
  patchResult,
  region,
  resultLine,
  snapshot,
} from "../../helpers/snapshot";

const PARAMS = {
  updatesOrigin: "true",
  automaticReboot: "true",
  automaticRebootTime: "02:00",
  mailTo: "",
};

function entry(id: string, overrides: Partial<PatchPlanEntry> = {}): PatchPlanEntry {
  return {
    instance: { name: `site-${id}`, region: "us-east-1", arn: `arn:${id}` },
    optedIn: true,
    node: { instanceId: id, region: "us-east-1", matchedBy: "tag", pingStatus: "Online" },
    action: "send",
    reason: "ready",
    parameters: PARAMS,
    ...overrides,
  };
}

const notYet = () =>
  Object.assign(new Error("The invocation does not exist."), { name: "InvocationDoesNotExist" });
const success = (): Invocation => ({
  status: "Success",
  responseCode: 0,
  output: resultLine(patchResult()),
});

/** Records what is sent; answers each invocation from `answers` (a list per instance, in order). */
function commands(answers: Record<string, (Invocation | Error)[]> = {}, fallback = success) {
  const sent: SendCommandRequest[] = [];
  const polls: string[] = [];
  let next = 0;
  const impl: PatchCommands = {
    sendCommand: async (request) => {
      sent.push(request);
      next += 1;
      return `command-${next}`;
    },
    getCommandInvocation: async (_region, _commandId, instanceId) => {
      polls.push(instanceId);
      const answer = answers[instanceId]?.shift() ?? fallback();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { impl, sent, polls };
}

/** A clock that only moves when the runner pauses. */
function clock(start = 0) {
  const c = { now: start };
  const sleep = async (ms: number) => {
    c.now += ms;
  };
  return { now: () => c.now, sleep, c };
}

const run = (plan: PatchPlanEntry[], cmds: PatchCommands, deadline = 600_000) => {
  const t = clock();
  return enforcePlan(plan, cmds, {
    documentName: "doc",
    deadline,
    now: t.now,
    sleep: t.sleep,
    initialDelayMs: 1_000,
  });
};

describe("chunk", () => {
  it("splits 120 into 50, 50 and 20", () => {
    expect(
      chunk(
        Array.from({ length: 120 }, (_, i) => i),
        50,
      ).map((c) => c.length),
    ).toEqual([50, 50, 20]);
    expect(chunk([], 50)).toEqual([]);
  });
});

describe("enforcePlan", () => {
  it("sends one command per region and parameter set, with the document's settings", async () => {
    const c = commands();
    const plan = [
      entry("mi-1"),
      entry("mi-2", { parameters: { ...PARAMS, automaticRebootTime: "03:30" } }),
      entry("mi-3"),
      entry("mi-4", { node: { instanceId: "mi-4", region: "eu-west-2", matchedBy: "name" } }),
    ];

    await run(plan, c.impl);

    expect(c.sent.map((s) => [s.region, s.instanceIds, s.parameters.automaticRebootTime])).toEqual([
      ["us-east-1", ["mi-1", "mi-3"], ["02:00"]],
      ["us-east-1", ["mi-2"], ["03:30"]],
      ["eu-west-2", ["mi-4"], ["02:00"]],
    ]);
    expect(c.sent[0]).toMatchObject({
      documentName: "doc",
      documentVersion: "$LATEST",
      timeoutSeconds: 600,
      maxConcurrency: "10",
      maxErrors: "5",
      comment: "lightsail-auditor: enforce automatic patching",
      parameters: { updatesOrigin: ["true"], automaticReboot: ["true"], mailTo: [""] },
    });
  });

  it("never sends to an entry the plan skips", async () => {
    const c = commands();

    const outcomes = await run(
      [entry("mi-1", { action: "skip", optedIn: false, reason: "not opted in" }), entry("mi-2")],
      c.impl,
    );

    expect(c.sent.flatMap((s) => s.instanceIds)).toEqual(["mi-2"]);
    expect(outcomes.map((o) => o.node.instanceId)).toEqual(["mi-2"]);
  });

  it("treats InvocationDoesNotExist as not yet, and polls again after a longer pause", async () => {
    const c = commands({ "mi-1": [notYet(), notYet(), success()] });

    const [outcome] = await run([entry("mi-1")], c.impl);

    expect(c.polls).toEqual(["mi-1", "mi-1", "mi-1"]);
    expect(outcome).toMatchObject({
      status: "succeeded",
      commandId: "command-1",
      responseCode: 0,
      result: patchResult(),
      message: "Enforced: everything already in place; 0 security update(s) waiting.",
    });
  });

  it("reads failed, timed-out, cancelled and unreadable runs", async () => {
    const failed = patchResult({
      errors: ["apt-config rejects the configuration: E: Syntax error"],
    });
    const c = commands({
      "mi-1": [{ status: "Failed", responseCode: 1, output: resultLine(failed) }],
      "mi-2": [
        { status: "TimedOut", statusDetails: "Delivery Timed Out", responseCode: -1, output: "" },
      ],
      "mi-3": [{ status: "Cancelled", output: "" }],
      "mi-4": [{ status: "Success", responseCode: 0, output: "hello\n" }],
    });

    const outcomes = await run(
      [entry("mi-1"), entry("mi-2"), entry("mi-3"), entry("mi-4")],
      c.impl,
    );

    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      [
        "failed",
        "Failed (exit code 1): everything already in place; errors: apt-config rejects the configuration: E: Syntax error; 0 security update(s) waiting.",
      ],
      ["timed-out", "Timed out (Delivery Timed Out)."],
      ["cancelled", "Cancelled."],
      ["failed", "Finished, but its output holds no lightsail-auditor result line."],
    ]);
  });

  it("stops before the deadline: unfinished runs are pending, with the last poll's error", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    const c = commands({
      "mi-1": [notYet(), notYet(), notYet()],
      "mi-2": [throttled, throttled, throttled],
    });

    // Pauses of 1, 2 and 4 s fit in 10 s; the next one (8 s) would not.
    const outcomes = await run([entry("mi-1"), entry("mi-2")], c.impl, 10_000);

    expect(c.polls).toHaveLength(6);
    expect(outcomes.map((o) => o.status)).toEqual(["pending", "pending"]);
    expect(outcomes[0]?.message).toBe(
      "Still running when the audit had to stop; the next audit reads the result from the command history.",
    );
    expect(outcomes[1]?.message).toContain("(last poll: ThrottlingException: Rate exceeded)");
  });

  it("polls nothing when the deadline has already passed, and still reports what was sent", async () => {
    const c = commands();

    const outcomes = await run([entry("mi-1")], c.impl, 0);

    expect(c.sent).toHaveLength(1);
    expect(c.polls).toEqual([]);
    expect(outcomes.map((o) => [o.status, o.commandId])).toEqual([["pending", "command-1"]]);
  });
});

describe("runPatching", () => {
  const opted = instance("blog", undefined, { tags: [{ key: "auto-patch", value: "true" }] });
  const snap = snapshot({
    lightsail: [
      region("us-east-1", {
        instances: [opted],
        managedNodes: [managedNode("mi-00000000000000001", "blog")],
      }),
    ],
  });
  const refuse: PatchCommands = {
    sendCommand: () => Promise.reject(new Error("must not send")),
    getCommandInvocation: () => Promise.reject(new Error("must not poll")),
  };
  const settings = {
    patchTargets: "tagged" as const,
    patchDocument: "lightsail-auditor-prod-enforce-patching",
  };

  it("is absent when patching is off", async () => {
    const report = await runPatching(
      snap,
      { ...settings, patching: "off" },
      { commands: refuse, homeRegion: "us-east-1", deadline: 0 },
      () => 0,
    );

    expect(report).toBeUndefined();
  });

  it("in dry-run plans and sends nothing", async () => {
    const report = await runPatching(
      snap,
      { ...settings, patching: "dry-run" },
      { commands: refuse, homeRegion: "us-east-1", deadline: 0 },
      () => 0,
    );

    expect(report?.plan.map((e) => e.action)).toEqual(["send"]);
    expect(report?.outcomes).toEqual([]);
  });

  it("takes the document's region from its ARN, else the home region", async () => {
    const arn =
      "arn:aws:ssm:eu-west-1:123456789012:document/lightsail-auditor-prod-enforce-patching";
    const deps = { commands: refuse, homeRegion: "us-east-1", deadline: 0 };

    const byArn = await runPatching(
      snap,
      { ...settings, patching: "dry-run", patchDocument: arn },
      deps,
      () => 0,
    );
    const byName = await runPatching(snap, { ...settings, patching: "dry-run" }, deps, () => 0);

    expect(byArn?.document).toEqual({
      name: "lightsail-auditor-prod-enforce-patching",
      region: "eu-west-1",
      version: "$LATEST",
    });
    expect(byArn?.plan[0]?.action).toBe("skip");
    expect(byName?.document.region).toBe("us-east-1");
  });

  it("refuses to enforce without an SSM client", async () => {
    await expect(
      runPatching(
        snap,
        { ...settings, patching: "enforce" },
        { homeRegion: "us-east-1", deadline: 0 },
        () => 0,
      ),
    ).rejects.toThrow("Patching is set to enforce, but no SSM client was provided");
  });
});
