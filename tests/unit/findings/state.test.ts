import { describe, expect, it } from "vitest";
import { summarize } from "../../../shared/audit";
import { fingerprint } from "../../../shared/findings/fingerprint";
import {
  type DiffOptions,
  diffFindings,
  type FindingState,
  nextState,
  statesToWrite,
} from "../../../shared/findings/state";
import type { AuditReport, CheckResult, ResourceRef } from "../../../shared/model";
import { checksOf } from "../../helpers/report";
import { ACCOUNT_ID, REGION } from "../../helpers/snapshot";

const SSH = "lightsail-instance-ssh-not-public";
const ROOT_MFA = "iam-root-mfa-enabled";
const LB_REDIRECT = "lightsail-lb-http-redirects-to-https";

/** Fixed clocks: the first run, and the next day's run. */
const T1 = new Date("2026-07-01T06:00:00.000Z");
const T2 = new Date("2026-07-02T06:00:00.000Z");
const DAY_MS = 86_400_000;

function ref(name: string, type = "LightsailInstance"): ResourceRef {
  return {
    type,
    name,
    arn: `arn:aws:lightsail:${REGION}:${ACCOUNT_ID}:Instance/${name}`,
    region: REGION,
  };
}

/** A result as the engine produces it; FAIL and MUTED carry the fingerprint. */
function result(name: string, overrides: Partial<CheckResult> = {}): CheckResult {
  const checkId = overrides.checkId ?? SSH;
  const resource = overrides.resource ?? ref(name);
  const status = overrides.status ?? "FAIL";
  return {
    checkId,
    status,
    severity: "high",
    message: `Port 22 of ${name} is open to 0.0.0.0/0.`,
    resource,
    accountId: ACCOUNT_ID,
    ...(status === "FAIL" || status === "MUTED"
      ? { fingerprint: fingerprint(checkId, resource) }
      : {}),
    ...overrides,
  };
}

function report(results: CheckResult[], at: Date): AuditReport {
  return {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    regions: { audited: [REGION], skipped: [] },
    summary: summarize(results, false),
    checks: checksOf(results),
    results,
    failures: [],
    expiredSuppressions: [],
  };
}

function options(now: Date, overrides: Partial<DiffOptions> = {}): DiffOptions {
  return {
    now,
    checksRun: [SSH, ROOT_MFA, LB_REDIRECT],
    renotifySeverity: "critical",
    renotifyDays: 7,
    ...overrides,
  };
}

/** The stored state after a first run at T1 that alerted about `results`. */
function stateAfterFirstRun(results: CheckResult[]): FindingState[] {
  const diff = diffFindings(report(results, T1), [], options(T1));
  return nextState([], diff, { now: T1, notified: true, listedAll: false });
}

/** A stored OPEN finding of `result`, last listed in an alert at `lastNotified`. */
function openState(r: CheckResult, lastNotified?: Date): FindingState {
  return {
    fingerprint: r.fingerprint ?? "",
    checkId: r.checkId,
    severity: r.severity,
    resource: r.resource,
    message: r.message,
    status: "OPEN",
    firstSeen: "2026-06-01T06:00:00.000Z",
    ...(lastNotified ? { lastNotified: lastNotified.toISOString() } : {}),
    expiresAt: 1_790_000_000,
  };
}

const names = (rs: readonly { resource: ResourceRef }[]) => rs.map((r) => r.resource.name);

describe("diffFindings", () => {
  it("reports every FAIL as NEW on the first run, and ignores PASS", () => {
    const results = [result("blog"), result("shop"), result("docs", { status: "PASS" })];

    const diff = diffFindings(report(results, T1), [], options(T1));

    expect(names(diff.new)).toEqual(["blog", "shop"]);
    expect(diff.stillOpen).toEqual([]);
    expect(diff.resolved).toEqual([]);
    expect(diff.renotify).toEqual([]);
  });

  it("reports the same results on the next run as STILL_OPEN with nothing new", () => {
    const results = [result("blog"), result("shop")];
    const previous = stateAfterFirstRun(results);

    const diff = diffFindings(report(results, T2), previous, options(T2));

    expect(diff.new).toEqual([]);
    expect(names(diff.stillOpen)).toEqual(["blog", "shop"]);
    expect(diff.resolved).toEqual([]);
  });

  it("resolves a finding whose resource now passes, keeping its firstSeen", () => {
    const previous = stateAfterFirstRun([result("blog"), result("shop")]);

    const diff = diffFindings(
      report([result("blog", { status: "PASS" }), result("shop")], T2),
      previous,
      options(T2),
    );

    expect(names(diff.resolved)).toEqual(["blog"]);
    expect(diff.resolved[0]?.firstSeen).toBe(T1.toISOString());
    expect(names(diff.stillOpen)).toEqual(["shop"]);
    expect(diff.new).toEqual([]);
  });

  it("resolves nothing of a check that produced an ERROR this run", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const throttled = result(REGION, {
      status: "ERROR",
      resource: { type: "LightsailRegion", name: REGION, arn: "", region: REGION },
      message: "Could not read instances: ThrottlingException",
    });

    const diff = diffFindings(report([throttled], T2), previous, options(T2));

    expect(diff.resolved).toEqual([]);
    expect(diff.new).toEqual([]);
  });

  it("still resolves a finding when the ERROR belongs to another check", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const otherError = result("<root_account>", {
      checkId: ROOT_MFA,
      status: "ERROR",
      resource: { type: "AwsRootUser", name: "<root_account>", arn: "", region: "global" },
    });

    const diff = diffFindings(
      report([result("blog", { status: "PASS" }), otherError], T2),
      previous,
      options(T2),
    );

    expect(names(diff.resolved)).toEqual(["blog"]);
  });

  it("resolves nothing of a check that did not run", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    const diff = diffFindings(report([], T2), previous, options(T2, { checksRun: [ROOT_MFA] }));

    expect(diff.resolved).toEqual([]);
  });

  it("treats a MUTED finding that was open as neither resolved nor still open nor new", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    const diff = diffFindings(
      report([result("blog", { status: "MUTED" })], T2),
      previous,
      options(T2),
    );

    expect(diff).toEqual({ new: [], stillOpen: [], resolved: [], renotify: [] });
  });

  it("does not report a MUTED finding seen for the first time as new", () => {
    const diff = diffFindings(report([result("blog", { status: "MUTED" })], T1), [], options(T1));

    expect(diff.new).toEqual([]);
  });

  it("reports a finding that was RESOLVED before and fails again as NEW", () => {
    const [resolved] = nextState(
      [],
      { new: [], stillOpen: [], resolved: [openState(result("blog"))], renotify: [] },
      { now: T1, notified: true, listedAll: false },
    );

    const diff = diffFindings(
      report([result("blog")], T2),
      resolved ? [resolved] : [],
      options(T2),
    );

    expect(names(diff.new)).toEqual(["blog"]);
    expect(diff.resolved).toEqual([]);
  });
});

describe("diffFindings renotify", () => {
  const critical = (name: string) => result(name, { checkId: ROOT_MFA, severity: "critical" });
  const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

  it("lists a still-open critical finding again when it was last listed 8 days ago", () => {
    const r = critical("<root_account>");

    const diff = diffFindings(report([r], T2), [openState(r, daysBefore(T2, 8))], options(T2));

    expect(diff.renotify).toEqual([r]);
    expect(diff.stillOpen).toEqual([r]);
  });

  it("lists it again exactly renotifyDays after it was last listed", () => {
    const r = critical("<root_account>");

    const diff = diffFindings(report([r], T2), [openState(r, daysBefore(T2, 7))], options(T2));

    expect(diff.renotify).toEqual([r]);
  });

  it("does not list it again 6 days after it was last listed", () => {
    const r = critical("<root_account>");

    const diff = diffFindings(report([r], T2), [openState(r, daysBefore(T2, 6))], options(T2));

    expect(diff.renotify).toEqual([]);
    expect(diff.stillOpen).toEqual([r]);
  });

  it("follows renotifyDays when it is not the default", () => {
    const r = critical("<root_account>");

    const diff = diffFindings(
      report([r], T2),
      [openState(r, daysBefore(T2, 3))],
      options(T2, { renotifyDays: 2 }),
    );

    expect(diff.renotify).toEqual([r]);
  });

  it("lists a still-open critical finding that was never listed in an alert", () => {
    const r = critical("<root_account>");

    const diff = diffFindings(report([r], T2), [openState(r)], options(T2));

    expect(diff.renotify).toEqual([r]);
  });

  it("never lists a still-open high finding again, however long ago it was listed", () => {
    const r = result("blog", { severity: "high" });

    const diff = diffFindings(report([r], T2), [openState(r, daysBefore(T2, 365))], options(T2));

    expect(diff.renotify).toEqual([]);
    expect(diff.stillOpen).toEqual([r]);
  });
});

describe("nextState", () => {
  it("records new findings as OPEN with firstSeen and lastNotified at now", () => {
    const diff = diffFindings(report([result("blog")], T1), [], options(T1));

    const [state] = nextState([], diff, { now: T1, notified: true, listedAll: false });

    expect(state).toMatchObject({
      fingerprint: fingerprint(SSH, ref("blog")),
      checkId: SSH,
      severity: "high",
      resource: ref("blog"),
      message: "Port 22 of blog is open to 0.0.0.0/0.",
      status: "OPEN",
      firstSeen: T1.toISOString(),
      lastNotified: T1.toISOString(),
    });
    expect(state).not.toHaveProperty("lastSeen");
  });

  it("keeps firstSeen for a still-open finding", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const diff = diffFindings(report([result("blog")], T2), previous, options(T2));

    const [state] = nextState(previous, diff, { now: T2, notified: false, listedAll: false });

    expect(state?.firstSeen).toBe(T1.toISOString());
    expect(state?.status).toBe("OPEN");
  });

  it("starts a new firstSeen for a finding that was resolved and fails again", () => {
    const [resolved] = nextState(
      [],
      { new: [], stillOpen: [], resolved: [openState(result("blog"))], renotify: [] },
      { now: T1, notified: true, listedAll: false },
    );
    const previous = resolved ? [resolved] : [];
    const diff = diffFindings(report([result("blog")], T2), previous, options(T2));

    const [state] = nextState(previous, diff, { now: T2, notified: true, listedAll: false });

    expect(resolved?.firstSeen).toBe("2026-06-01T06:00:00.000Z");
    expect(state).toMatchObject({ status: "OPEN", firstSeen: T2.toISOString() });
    expect(state).not.toHaveProperty("resolvedAt");
  });

  it("sets no lastNotified on new findings when no alert was delivered", () => {
    const diff = diffFindings(report([result("blog")], T1), [], options(T1));

    const [state] = nextState([], diff, { now: T1, notified: false, listedAll: false });

    expect(state).not.toHaveProperty("lastNotified");
  });

  it("advances lastNotified only for the findings the delivered alert listed", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const results = [result("blog"), result("shop")];
    const diff = diffFindings(report(results, T2), previous, options(T2));

    const states = nextState(previous, diff, { now: T2, notified: true, listedAll: false });

    const byName = new Map(states.map((s) => [s.resource.name, s]));
    expect(byName.get("shop")?.lastNotified).toBe(T2.toISOString());
    expect(byName.get("blog")?.lastNotified).toBe(T1.toISOString());
  });

  it("advances lastNotified of a re-listed (renotify) finding", () => {
    const r = result("<root_account>", { checkId: ROOT_MFA, severity: "critical" });
    const previous = [openState(r, new Date(T2.getTime() - 8 * DAY_MS))];
    const diff = diffFindings(report([r], T2), previous, options(T2));

    const [state] = nextState(previous, diff, { now: T2, notified: true, listedAll: false });

    expect(diff.renotify).toHaveLength(1);
    expect(state?.lastNotified).toBe(T2.toISOString());
  });

  it("advances lastNotified of every still-open finding when the alert listed all of them", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const diff = diffFindings(report([result("blog")], T2), previous, options(T2));

    const [state] = nextState(previous, diff, { now: T2, notified: true, listedAll: true });

    expect(state?.lastNotified).toBe(T2.toISOString());
  });

  it("keeps the previous lastNotified when listedAll is set but nothing was delivered", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const diff = diffFindings(report([result("blog")], T2), previous, options(T2));

    const [state] = nextState(previous, diff, { now: T2, notified: false, listedAll: true });

    expect(state?.lastNotified).toBe(T1.toISOString());
  });

  it("marks resolved findings RESOLVED with resolvedAt and keeps firstSeen", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    const diff = diffFindings(
      report([result("blog", { status: "PASS" })], T2),
      previous,
      options(T2),
    );

    const states = nextState(previous, diff, { now: T2, notified: true, listedAll: false });

    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      fingerprint: fingerprint(SSH, ref("blog")),
      status: "RESOLVED",
      resolvedAt: T2.toISOString(),
      firstSeen: T1.toISOString(),
    });
  });

  it("sets the TTL in epoch seconds: 90 days for open findings, 30 days once resolved", () => {
    const previous = stateAfterFirstRun([result("blog"), result("shop")]);
    const diff = diffFindings(
      report([result("blog", { status: "PASS" }), result("shop")], T2),
      previous,
      options(T2),
    );

    const states = nextState(previous, diff, { now: T2, notified: true, listedAll: false });

    const byName = new Map(states.map((s) => [s.resource.name, s]));
    // T2 = 2026-07-02T06:00Z; +90 days = 2026-09-30T06:00Z; +30 days = 2026-08-01T06:00Z.
    expect(byName.get("shop")?.expiresAt).toBe(Date.UTC(2026, 8, 30, 6) / 1000);
    expect(byName.get("blog")?.expiresAt).toBe(Date.UTC(2026, 7, 1, 6) / 1000);
  });
});

describe("statesToWrite", () => {
  /** The states a run at `now` would write after `previous`, for these results. */
  function writesAt(
    now: Date,
    previous: FindingState[],
    results: CheckResult[],
    opts: { notified?: boolean; listedAll?: boolean } = {},
  ): FindingState[] {
    const diff = diffFindings(report(results, now), previous, options(now));
    const next = nextState(previous, diff, {
      now,
      notified: opts.notified ?? true,
      listedAll: opts.listedAll ?? false,
    });
    return statesToWrite(previous, next, now);
  }

  it("writes every finding on the first run", () => {
    expect(names(writesAt(T1, [], [result("blog"), result("shop")]))).toEqual(["blog", "shop"]);
  });

  it("writes nothing the next day when nothing changed", () => {
    const results = [result("blog"), result("shop")];
    const previous = stateAfterFirstRun(results);

    expect(writesAt(T2, previous, results)).toEqual([]);
  });

  it("writes nothing when only the message changed (a message may count days)", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    expect(writesAt(T2, previous, [result("blog", { message: "Used 3 days ago." })])).toEqual([]);
  });

  it("writes only the new and the resolved finding, not the one still open", () => {
    const previous = stateAfterFirstRun([result("blog"), result("shop")]);

    const writes = writesAt(T2, previous, [
      result("blog", { status: "PASS" }),
      result("shop"),
      result("docs"),
    ]);

    expect(writes.map((s) => [s.resource.name, s.status])).toEqual([
      ["docs", "OPEN"],
      ["blog", "RESOLVED"],
    ]);
  });

  it("writes a still-open finding listed again (renotify), with its new lastNotified", () => {
    const r = result("<root_account>", { checkId: ROOT_MFA, severity: "critical" });
    const previous = [openState(r, new Date(T2.getTime() - 8 * DAY_MS))];

    const writes = writesAt(T2, previous, [r]);

    expect(writes).toHaveLength(1);
    expect(writes[0]?.lastNotified).toBe(T2.toISOString());
  });

  it("writes every still-open finding when the delivered alert listed all of them", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    expect(names(writesAt(T2, previous, [result("blog")], { listedAll: true }))).toEqual(["blog"]);
  });

  it("writes nothing for listedAll when the alert was not delivered", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    expect(writesAt(T2, previous, [result("blog")], { notified: false, listedAll: true })).toEqual(
      [],
    );
  });

  it("writes a still-open finding whose severity changed", () => {
    const previous = stateAfterFirstRun([result("blog")]);

    expect(names(writesAt(T2, previous, [result("blog", { severity: "medium" })]))).toEqual([
      "blog",
    ]);
  });

  it("refreshes the TTL of an unchanged open finding once fewer than 30 of its 90 days remain", () => {
    const previous = stateAfterFirstRun([result("blog")]);
    // Written at T1 with a 90-day TTL: due for a rewrite from T1 + 60 days on, not before.
    const day59 = new Date(T1.getTime() + 59 * DAY_MS);
    const day61 = new Date(T1.getTime() + 61 * DAY_MS);

    expect(writesAt(day59, previous, [result("blog")])).toEqual([]);
    const [refreshed] = writesAt(day61, previous, [result("blog")]);

    expect(refreshed).toMatchObject({ status: "OPEN", firstSeen: T1.toISOString() });
    expect(refreshed?.expiresAt).toBe(day61.getTime() / 1000 + 90 * 86_400);
  });
});
