import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-auto-updates-enforced";
import type { CheckContext, LightsailInstance, ManagedNode, PatchRun } from "../../../shared/model";
import {
  context,
  instance,
  managedNode,
  patchResult,
  patchRun,
  region,
  snapshot,
} from "../../helpers/snapshot";

const ID = "mi-0123456789abcdef0";
const optedIn = instance("blog", undefined, { tags: [{ key: "auto-patch", value: "true" }] });
const notOptedIn = instance("blog");

function evaluate(
  inst: LightsailInstance,
  nodes: ManagedNode[] | null,
  runs: PatchRun[] | null,
  ctx: Partial<CheckContext> = {},
) {
  // Prepare
  const snap = snapshot({
    lightsail: [region("us-east-1", { instances: [inst], managedNodes: nodes, patchRuns: runs })],
  });
  // Act
  return check.evaluate(snap, context(ctx));
}

describe("lightsail-instance-auto-updates-enforced", () => {
  it("passes when the last run succeeded with everything in place", () => {
    const outcomes = evaluate(optedIn, [managedNode(ID, "blog")], [patchRun(ID)]);

    expect(outcomes).toEqual([
      {
        status: "PASS",
        resource: expect.objectContaining({ type: "LightsailInstance", name: "blog" }),
        message:
          'Automatic updates are enforced on instance "blog": the last run (2026-07-31 06:00 UTC) found everything in place, with no drift.',
      },
    ]);
  });

  it("passes and reports a pending reboot, its time, and waiting security updates", () => {
    const run = patchRun(ID, {
      result: patchResult({
        changed: ["/etc/apt/apt.conf.d/90lightsail-auditor-periodic"],
        rebootRequired: true,
        pendingSecurityUpdates: 3,
      }),
    });

    const [outcome] = evaluate(optedIn, [managedNode(ID, "blog")], [run]);

    expect(outcome?.status).toBe("PASS");
    expect(outcome?.message).toBe(
      'Automatic updates are enforced on instance "blog": the last run (2026-07-31 06:00 UTC) put /etc/apt/apt.conf.d/90lightsail-auditor-periodic back in place, with no drift. A reboot is pending; it happens automatically at 02:00. 3 security update(s) were waiting for the next daily run.',
    );
  });

  it("says to reboot by hand when a reboot is pending and automatic reboot is off", () => {
    const result = patchResult({ rebootRequired: true });
    result.settings["Unattended-Upgrade::Automatic-Reboot"] = "false";

    const [outcome] = evaluate(optedIn, [managedNode(ID, "blog")], [patchRun(ID, { result })]);

    expect(outcome?.message).toContain(
      "automatic reboot is off: reboot the instance at a quiet hour",
    );
  });

  it("fails when the last run failed, with its errors", () => {
    const run = patchRun(ID, {
      status: "Failed",
      statusDetails: "Failed",
      responseCode: 1,
      result: patchResult({
        errors: [
          "cannot install unattended-upgrades (apt-get install failed; see the error output)",
        ],
      }),
    });

    const [outcome] = evaluate(optedIn, [managedNode(ID, "blog")], [run]);

    expect(outcome).toMatchObject({
      status: "FAIL",
      message:
        'The last enforcement on instance "blog" (command ef7fdfd8-9b57-4151-a15c-db9a12345678, 2026-07-31 06:00 UTC) failed (exit code 1): cannot install unattended-upgrades (apt-get install failed; see the error output).',
    });
  });

  it("fails when the last run timed out", () => {
    const run = patchRun(ID, {
      status: "TimedOut",
      statusDetails: "Delivery Timed Out",
      responseCode: -1,
      result: null,
      resultError: "its output holds no lightsail-auditor result line",
    });

    const [outcome] = evaluate(optedIn, [managedNode(ID, "blog")], [run]);

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toMatch(/\) timed out \(Delivery Timed Out\)\.$/);
  });

  it("fails when the last run reports drift", () => {
    const run = patchRun(ID, {
      status: "Failed",
      responseCode: 1,
      result: patchResult({
        drift: ['APT::Periodic::AutocleanInterval is "\u201c7\u201d", expected "7"'],
      }),
    });
    const succeededWithDrift = patchRun(ID, {
      result: patchResult({
        drift: ['APT::Periodic::AutocleanInterval is "\u201c7\u201d", expected "7"'],
      }),
    });

    const [failed] = evaluate(optedIn, [managedNode(ID, "blog")], [run]);
    const [drifted] = evaluate(optedIn, [managedNode(ID, "blog")], [succeededWithDrift]);

    expect(failed?.status).toBe("FAIL");
    expect(failed?.message).toContain(
      '; drift: APT::Periodic::AutocleanInterval is "\u201c7\u201d", expected "7".',
    );
    expect(drifted?.status).toBe("FAIL");
    expect(drifted?.message).toContain(
      "reports drift, so automatic updates do not run as enforced",
    );
  });

  it("fails when the run finished but printed no readable result", () => {
    const run = patchRun(ID, {
      result: null,
      resultError: "its result line is not valid JSON (cut short?)",
    });

    const [outcome] = evaluate(optedIn, [managedNode(ID, "blog")], [run]);

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toMatch(
      /finished, but its result line is not valid JSON \(cut short\?\)\.$/,
    );
  });

  it("fails when an opted-in instance never had a run, pointing at the mode", () => {
    const [dryRun] = evaluate(optedIn, [managedNode(ID, "blog")], []);
    const [enforce] = evaluate(optedIn, [managedNode(ID, "blog")], [], {
      patching: { mode: "enforce", targets: "tagged", documentName: "doc" },
    });

    expect(dryRun).toMatchObject({
      status: "FAIL",
      message: `The instance "blog" is opted in to automatic patching, but the document lightsail-auditor-prod-enforce-patching has not run on its node ${ID} (us-east-1) (matched by its lightsail:instance tag) in the last 30 days. Patching is in dry-run mode: set PATCHING=enforce on the Lambda function (or pass --patching enforce) to run it.`,
    });
    expect(enforce?.message).toContain("the document doc has not run");
    expect(enforce?.message).toContain(
      "The auditor is in enforce mode: the report's patching plan says why",
    );
  });

  it("fails when an opted-in instance has no node to enforce it on", () => {
    const [none] = evaluate(optedIn, [], []);
    const [weak] = evaluate(optedIn, [managedNode(ID, "other", { tags: [] })], []);

    expect(none).toMatchObject({
      status: "FAIL",
      message:
        'The instance "blog" is opted in to automatic patching, but it cannot be enforced: it is not managed by Systems Manager (no managed node maps to it). See lightsail-instance-ssm-managed.',
    });
    expect(weak?.status).toBe("FAIL");
    expect(weak?.message).toContain("a weak match the auditor never acts on");
  });

  it("with targets all, treats every instance as opted in", () => {
    const outcomes = evaluate(notOptedIn, [managedNode(ID, "blog")], [], {
      patching: { mode: "dry-run", targets: "all", documentName: "doc" },
    });

    expect(outcomes.map((o) => o.status)).toEqual(["FAIL"]);
  });

  it("says nothing about an instance that is not opted in and never ran", () => {
    expect(evaluate(notOptedIn, [managedNode(ID, "blog")], [])).toEqual([]);
    expect(evaluate(notOptedIn, [], [])).toEqual([]);
  });

  it("still judges the last run of an instance no longer opted in", () => {
    const run = patchRun(ID, { status: "Failed", responseCode: 1 });

    expect(evaluate(notOptedIn, [managedNode(ID, "blog")], [run]).map((o) => o.status)).toEqual([
      "FAIL",
    ]);
  });

  it("is an ERROR, never a PASS or FAIL, when the command history could not be read", () => {
    const outcomes = evaluate(optedIn, [managedNode(ID, "blog")], null);

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "ERROR",
        message: `The command history of us-east-1 could not be read, so whether automatic updates are enforced on instance "blog" (node ${ID} (us-east-1)) is unknown.`,
      }),
    ]);
  });

  it("is an ERROR when no node is found for an opted-in instance and some nodes are unknown", () => {
    const [outcome] = evaluate(optedIn, null, null);

    expect(outcome?.status).toBe("ERROR");
    expect(outcome?.message).toContain("the managed nodes of us-east-1 could not be listed");
  });

  it("is one ERROR for a region whose instances could not be listed", () => {
    const snap = snapshot({ lightsail: [region("us-east-1", { instances: null })] });

    expect(check.evaluate(snap, context()).map((o) => [o.status, o.resource.type])).toEqual([
      ["ERROR", "LightsailRegion"],
    ]);
  });
});
