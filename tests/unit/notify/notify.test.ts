import { describe, expect, it, vi } from "vitest";
import { summarize } from "../../../shared/audit";
import type { FindingStore, LoadOptions } from "../../../shared/aws/state-store";
import { AlertDeliveryError } from "../../../shared/errors";
import { fingerprint } from "../../../shared/findings/fingerprint";
import type { FindingState, NotifyMode } from "../../../shared/findings/state";
import type {
  AuditReport,
  CheckResult,
  CollectionFailure,
  Severity,
  Suppression,
} from "../../../shared/model";
import type { SnsAlert } from "../../../shared/notify/message";
import { type AlertSettings, processAlert } from "../../../shared/notify/notify";
import { dryRun, enforced } from "../../helpers/remediation";
import { checksOf } from "../../helpers/report";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const SSH = "lightsail-instance-ssh-not-public";
const ROOT_MFA = "iam-root-mfa-enabled";
/** Fixed clocks: a first run and the next day's run. */
const DAY1 = new Date("2026-08-01T12:00:00.000Z");
const DAY2 = new Date("2026-08-02T12:00:00.000Z");

function finding(
  name: string,
  severity: Severity = "high",
  overrides: Partial<CheckResult> = {},
): CheckResult {
  const checkId = overrides.checkId ?? (severity === "critical" ? ROOT_MFA : SSH);
  const resource = {
    type: "LightsailInstance",
    name,
    arn: `arn:aws:lightsail:eu-west-2:${ACCOUNT_ID}:Instance/${name}`,
    region: "eu-west-2",
  };
  const status = overrides.status ?? "FAIL";
  return {
    checkId,
    status,
    severity,
    message: `Port 22 of ${name} is open to 0.0.0.0/0.`,
    resource,
    accountId: ACCOUNT_ID,
    ...(status === "FAIL" || status === "MUTED"
      ? { fingerprint: fingerprint(checkId, resource) }
      : {}),
    ...overrides,
  };
}

function report(
  results: CheckResult[],
  at: Date,
  extra: { failures?: CollectionFailure[]; expired?: Suppression[] } = {},
): AuditReport {
  const failures = extra.failures ?? [];
  return {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    regions: { audited: ["eu-west-2"], skipped: [] },
    summary: summarize(results, failures.length > 0),
    checks: checksOf(results, { [ROOT_MFA]: {}, [SSH]: {} }),
    results,
    failures,
    expiredSuppressions: extra.expired ?? [],
  };
}

function settings(notifyMode: NotifyMode = "on-change"): AlertSettings {
  return {
    notifyMode,
    smsMinSeverity: "high",
    renotifyDays: 7,
    checksRun: [SSH, ROOT_MFA],
    onDemandHint: "npx lightsail-audit",
  };
}

/**
 * An in-memory FindingStore with the DynamoDB store's semantics (put per account and fingerprint;
 * load gives the account's OPEN findings) that records saves.
 */
function memoryStore(initial: FindingState[] = []) {
  const key = (accountId: string, fp: string) => `${accountId}#${fp}`;
  const items = new Map(initial.map((s) => [key(ACCOUNT_ID, s.fingerprint), structuredClone(s)]));
  const saves: FindingState[][] = [];
  const store: FindingStore & { saves: FindingState[][]; items: Map<string, FindingState> } = {
    saves,
    items,
    load: vi.fn(async (accountId: string, _options: LoadOptions) => ({
      open: [...items.entries()]
        .filter(([k, s]) => k.startsWith(`${accountId}#`) && s.status === "OPEN")
        .map(([, s]) => structuredClone(s)),
      migrated: 0,
    })),
    save: vi.fn(async (accountId: string, states: readonly FindingState[]) => {
      saves.push(structuredClone([...states]));
      for (const s of states) items.set(key(accountId, s.fingerprint), structuredClone(s));
    }),
  };
  return store;
}

function publisher(messageId = "msg-0001") {
  return vi.fn(async (_alert: SnsAlert) => messageId);
}

const newFingerprints = (alert: SnsAlert) => {
  const json = JSON.parse(JSON.parse(alert.message)["email-json"]) as {
    new: { fingerprint: string }[];
  };
  return json.new.map((r) => r.fingerprint).sort();
};

describe("processAlert", () => {
  it("on-change with new findings: publishes once, then saves the state", async () => {
    const store = memoryStore();
    const publish = publisher();
    const results = [finding("blog"), finding("shop")];

    const outcome = await processAlert(
      { store, publish, now: () => DAY1 },
      report(results, DAY1),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true, messageId: "msg-0001" });
    expect(outcome.counts).toEqual({
      new: 2,
      resolved: 0,
      stillOpen: 0,
      renotify: 0,
      stateWrites: 2,
      stateMigrated: 0,
    });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish.mock.calls[0]?.[0].subject).toContain("2 new findings");
    expect(store.saves).toHaveLength(1);
    expect(store.saves[0]?.map((s) => [s.resource.name, s.status, s.lastNotified])).toEqual([
      ["blog", "OPEN", DAY1.toISOString()],
      ["shop", "OPEN", DAY1.toISOString()],
    ]);
  });

  it("publishes only after loading the state and saves only after publishing", async () => {
    const store = memoryStore();
    const publish = publisher();

    await processAlert(
      { store, publish, now: () => DAY1 },
      report([finding("blog")], DAY1),
      settings(),
    );

    const load = vi.mocked(store.load).mock.invocationCallOrder[0] ?? 0;
    const sent = publish.mock.invocationCallOrder[0] ?? 0;
    const saved = vi.mocked(store.save).mock.invocationCallOrder[0] ?? 0;
    expect(load).toBeLessThan(sent);
    expect(sent).toBeLessThan(saved);
  });

  it("on-change with nothing changed: owes nothing, publishes nothing, writes no state", async () => {
    const store = memoryStore();
    const publish = publisher();
    const results = [finding("blog")];
    await processAlert({ store, publish, now: () => DAY1 }, report(results, DAY1), settings());

    const outcome = await processAlert(
      { store, publish, now: () => DAY2 },
      report(results, DAY2),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: false, sent: false });
    expect(outcome).not.toHaveProperty("messageId");
    expect(outcome.counts).toEqual({
      new: 0,
      resolved: 0,
      stillOpen: 1,
      renotify: 0,
      stateWrites: 0,
      stateMigrated: 0,
    });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(store.saves).toEqual([[expect.objectContaining({ status: "OPEN" })], []]);
    expect([...store.items.values()][0]).toMatchObject({
      firstSeen: DAY1.toISOString(),
      lastNotified: DAY1.toISOString(),
    });
  });

  it("loads and saves the report's account, and lets only a run that can save migrate", async () => {
    const store = memoryStore();

    await processAlert({ store, now: () => DAY1 }, report([finding("blog")], DAY1), settings());
    await processAlert(
      { store, publish: publisher(), now: () => DAY1 },
      report([finding("blog")], DAY1),
      settings(),
    );

    expect(vi.mocked(store.load).mock.calls).toEqual([
      [ACCOUNT_ID, { migrate: false }],
      [ACCOUNT_ID, { migrate: true }],
    ]);
    expect(vi.mocked(store.save).mock.calls.map((c) => c[0])).toEqual([ACCOUNT_ID]);
  });

  it("writes only the resolved and the new finding when one is fixed and another appears", async () => {
    const store = memoryStore();
    const publish = publisher();
    await processAlert(
      { store, publish, now: () => DAY1 },
      report([finding("blog"), finding("shop")], DAY1),
      settings(),
    );

    const outcome = await processAlert(
      { store, publish, now: () => DAY2 },
      report([finding("blog", "high", { status: "PASS" }), finding("shop"), finding("docs")], DAY2),
      settings(),
    );

    expect(outcome.counts).toMatchObject({ new: 1, resolved: 1, stillOpen: 1, stateWrites: 2 });
    expect(store.saves[1]?.map((s) => [s.resource.name, s.status])).toEqual([
      ["docs", "OPEN"],
      ["blog", "RESOLVED"],
    ]);
  });

  it.each([
    ["a resolved finding", [finding("blog", "high", { status: "PASS" })], {}],
    ["an incomplete audit", [finding("blog")], { failures: [throttled()] }],
    ["an expired suppression", [finding("blog")], { expired: [expiredSuppression()] }],
  ])("on-change owes an alert for %s", async (_case, secondRun, extra) => {
    const store = memoryStore();
    const publish = publisher();
    await processAlert(
      { store, publish, now: () => DAY1 },
      report([finding("blog")], DAY1),
      settings(),
    );

    const outcome = await processAlert(
      { store, publish, now: () => DAY2 },
      report(secondRun, DAY2, extra),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true });
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it("on-change owes a reminder for a critical finding last listed 8 days ago", async () => {
    const root = finding("root", "critical");
    const store = memoryStore();
    const publish = publisher();
    await processAlert({ store, publish, now: () => DAY1 }, report([root], DAY1), settings());
    const later = new Date(DAY1.getTime() + 8 * 86_400_000);

    const outcome = await processAlert(
      { store, publish, now: () => later },
      report([root], later),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true });
    expect(outcome.counts.renotify).toBe(1);
    expect(store.saves[1]?.[0]?.lastNotified).toBe(later.toISOString());
  });

  it("never: publishes nothing, even with new findings, but saves the state", async () => {
    const store = memoryStore();
    const publish = publisher();

    const outcome = await processAlert(
      { store, publish, now: () => DAY1 },
      report([finding("blog")], DAY1),
      settings("never"),
    );

    expect(outcome).toMatchObject({ owed: false, sent: false });
    expect(publish).not.toHaveBeenCalled();
    expect(store.saves).toHaveLength(1);
    expect(store.saves[0]?.[0]).toMatchObject({ status: "OPEN", firstSeen: DAY1.toISOString() });
    expect(store.saves[0]?.[0]).not.toHaveProperty("lastNotified");
  });

  it("always: publishes even when nothing changed, and records every open finding as listed", async () => {
    const store = memoryStore();
    const publish = publisher();
    const results = [finding("blog")];
    await processAlert({ store, publish, now: () => DAY1 }, report(results, DAY1), settings());

    const outcome = await processAlert(
      { store, publish, now: () => DAY2 },
      report(results, DAY2),
      settings("always"),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true });
    expect(outcome.counts.new).toBe(0);
    expect(publish).toHaveBeenCalledTimes(2);
    expect(store.saves[1]?.[0]?.lastNotified).toBe(DAY2.toISOString());
  });

  it("a failed publish rejects with AlertDeliveryError and leaves the state as it was", async () => {
    const store = memoryStore();
    const denied = Object.assign(new Error("User is not authorized to perform SNS:Publish"), {
      name: "AuthorizationErrorException",
    });
    const publish = vi.fn(async (_alert: SnsAlert): Promise<string> => {
      throw denied;
    });

    const run = processAlert(
      { store, publish, now: () => DAY1 },
      report([finding("blog"), finding("shop")], DAY1),
      settings(),
    );

    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AlertDeliveryError);
    expect((err as Error).message).toContain("AuthorizationErrorException");
    expect((err as Error).cause).toBe(denied);
    expect(store.save).not.toHaveBeenCalled();
    expect(store.items.size).toBe(0);
  });

  it("after a failed publish, the next run sends the same new findings again", async () => {
    const store = memoryStore();
    const results = [finding("blog"), finding("shop")];
    const failing = vi.fn(async (_alert: SnsAlert): Promise<string> => {
      throw new Error("socket hang up");
    });
    await expect(
      processAlert({ store, publish: failing, now: () => DAY1 }, report(results, DAY1), settings()),
    ).rejects.toBeInstanceOf(AlertDeliveryError);
    const publish = publisher("msg-0002");

    const outcome = await processAlert(
      { store, publish, now: () => DAY2 },
      report(results, DAY2),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true, messageId: "msg-0002" });
    expect(outcome.counts.new).toBe(2);
    const failedAlert = failing.mock.calls[0]?.[0];
    const sentAlert = publish.mock.calls[0]?.[0];
    expect(sentAlert && newFingerprints(sentAlert)).toEqual(
      failedAlert && newFingerprints(failedAlert),
    );
    expect(sentAlert && newFingerprints(sentAlert)).toEqual(
      results.map((r) => r.fingerprint).sort(),
    );
    expect(store.saves).toHaveLength(1);
  });

  it("without a publisher (preview) builds the alert but saves nothing", async () => {
    const store = memoryStore();

    const outcome = await processAlert(
      { store, now: () => DAY1 },
      report([finding("blog")], DAY1),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: false });
    expect(outcome.alert.subject).toContain("1 new finding");
    expect(store.save).not.toHaveBeenCalled();
  });

  it("resolves when saving fails after a delivered alert, and reports the save error", async () => {
    const store = memoryStore();
    const saveError = new Error("ProvisionedThroughputExceededException");
    vi.mocked(store.save).mockRejectedValueOnce(saveError);
    const onStateSaveError = vi.fn();
    const publish = publisher();

    const outcome = await processAlert(
      { store, publish, now: () => DAY1, onStateSaveError },
      report([finding("blog")], DAY1),
      settings(),
    );

    expect(outcome).toMatchObject({ owed: true, sent: true, messageId: "msg-0001" });
    expect(outcome.counts.stateWrites).toBe(0);
    expect(onStateSaveError).toHaveBeenCalledTimes(1);
    expect(onStateSaveError).toHaveBeenCalledWith(saveError);
  });

  it("on-change owes an alert for fixes applied or failed, not for a dry-run plan", async () => {
    const seen = [finding("blog")];
    const store = memoryStore();
    await processAlert(
      { store, publish: publisher(), now: () => DAY1 },
      report(seen, DAY1),
      settings(),
    );

    const plan = await processAlert(
      { store, publish: publisher(), now: () => DAY2 },
      { ...report(seen, DAY2), remediation: dryRun() },
      settings(),
    );
    const fixed = await processAlert(
      { store, publish: publisher(), now: () => DAY2 },
      { ...report(seen, DAY2), remediation: enforced() },
      settings(),
    );

    expect(plan.owed).toBe(false);
    expect(fixed.owed).toBe(true);
    const json = JSON.parse(JSON.parse(fixed.alert.message)["email-json"]) as {
      remediation: { mode: string; applied: { id: string }[]; failed: unknown[] };
    };
    expect(json.remediation.mode).toBe("enforce");
    expect(json.remediation.applied.map((c) => c.id)).toEqual(["3f9a2c81b7d0"]);
    expect(json.remediation.failed).toHaveLength(1);
  });
});

function throttled(): CollectionFailure {
  return {
    source: "lightsail",
    region: "ap-south-1",
    operation: "GetInstances",
    errorName: "ThrottlingException",
    message: "Rate exceeded",
  };
}

function expiredSuppression(): Suppression {
  return { checkId: SSH, resource: "shop", reason: "migration", expires: "2026-07-31" };
}
