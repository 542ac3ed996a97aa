/**
 * Applies a remediation plan, one resource at a time in isolation (an error on one never stops the
 * others), and records every change in the state table BEFORE its first write, so nothing is ever
 * changed that `lightsail-audit undo --change <id>` could not revert.
 *
 * For each action: re-read the resource (skipped if it changed since the audit), record the
 * change as pending, make the calls (Open before Close: access is never lost; never
 * PutInstancePublicPorts, which closes every port it does not list), read the result back, and
 * record the outcome.
 */
import { randomUUID } from "node:crypto";
import { isHttpAndHttps } from "../checks/lib/load-balancer";
import { mapLimit } from "../collect/concurrency";
import { ConfigError, describeError } from "../errors";
import type {
  AttributeChange,
  Change,
  FirewallChange,
  FirewallRule,
  HttpsRedirectAction,
  LightsailLoadBalancer,
  PortRule,
  RemediationAction,
  RemediationFailure,
  RemediationMode,
  RemediationReport,
  RemediationSkip,
  RestrictSshAction,
} from "../model";
import { afterCalls, firewall, type PortCall, portCalls, sameFirewall, withRule } from "./firewall";
import type { Plan } from "./plan";

/** The Lightsail calls the fixes make (shared/aws/remediation.ts implements it over the SDK). */
export interface LightsailFixer {
  /** GetInstance: the instance's firewall rules as the API sends them. */
  getInstancePorts(region: string, instanceName: string): Promise<PortRule[]>;
  /** The load balancer as GetLoadBalancers lists it; undefined when it no longer exists. */
  getLoadBalancer(region: string, name: string): Promise<LightsailLoadBalancer | undefined>;
  openInstancePublicPorts(region: string, instanceName: string, rule: FirewallRule): Promise<void>;
  closeInstancePublicPorts(region: string, instanceName: string, rule: FirewallRule): Promise<void>;
  updateLoadBalancerAttribute(
    region: string,
    name: string,
    attribute: string,
    value: string,
  ): Promise<void>;
}

/** Where changes are recorded (the state table, items `change#<id>`). */
export interface ChangeStore {
  put(change: Change): Promise<void>;
  get(id: string): Promise<Change | undefined>;
}

export interface RemediationDeps {
  lightsail: LightsailFixer;
  /** Required: a change that cannot be recorded is not made. */
  changes: ChangeStore;
  now?: () => Date;
  newId?: () => string;
  /** Epoch ms after which no new action starts (the rest is skipped, and planned again next run). */
  deadline?: number;
  /** Resources worked on at once (default 4). */
  concurrency?: number;
}

export interface ApplyOutcome {
  applied: Change[];
  skipped: RemediationSkip[];
  failed: RemediationFailure[];
}

type One = { applied: Change } | { skipped: RemediationSkip } | { failed: RemediationFailure };

const message = (err: unknown) => {
  const { errorName, message } = describeError(err);
  return `${errorName}: ${message}`;
};

/** A short id to type in `undo --change`: 12 hex digits. */
export const newChangeId = () => randomUUID().replace(/-/g, "").slice(0, 12);

function target(action: RemediationAction) {
  return { checkId: action.checkId, fingerprint: action.fingerprint, resource: action.resource };
}

const skip = (action: RemediationAction, reason: string): One => ({
  skipped: { ...target(action), reason },
});
const fail = (action: RemediationAction, error: string, changeId?: string): One => ({
  failed: {
    ...target(action),
    kind: action.kind,
    summary: action.summary,
    error,
    ...(changeId ? { changeId } : {}),
  },
});

/** Records the final state; a failure here leaves the pending record, which undo can still use. */
async function finish(deps: RemediationDeps, change: Change): Promise<Change> {
  try {
    await deps.changes.put(change);
    return change;
  } catch (err) {
    return {
      ...change,
      error: `${change.error ? `${change.error}; ` : ""}the final record could not be saved (${message(err)}); the pending record still allows undo`,
    };
  }
}

async function restrictSsh(
  action: RestrictSshAction,
  deps: RemediationDeps,
  id: string,
  at: string,
): Promise<One> {
  const { region, name } = action.resource;
  const read = async () => firewall(await deps.lightsail.getInstancePorts(region, name));
  let before: FirewallRule[];
  try {
    before = await read();
  } catch (err) {
    return fail(action, `could not read the firewall again before changing it: ${message(err)}`);
  }
  if (!sameFirewall(before, action.firewall)) {
    return skip(
      action,
      "the firewall changed since the audit, so the plan may no longer be right: nothing was changed (the next audit plans again)",
    );
  }
  const planned = withRule(before, action.after);
  const change: FirewallChange = {
    id,
    kind: action.kind,
    ...target(action),
    summary: action.summary,
    appliedAt: at,
    status: "pending",
    before,
    after: planned,
  };
  try {
    await deps.changes.put(change);
  } catch (err) {
    return fail(action, `could not record the change, so nothing was changed: ${message(err)}`);
  }

  const done: PortCall[] = [];
  let error: string | undefined;
  for (const c of portCalls(before, planned)) {
    try {
      if (c.call === "open") await deps.lightsail.openInstancePublicPorts(region, name, c.rule);
      else await deps.lightsail.closeInstancePublicPorts(region, name, c.rule);
      done.push(c);
    } catch (err) {
      error = `${c.call === "open" ? "OpenInstancePublicPorts" : "CloseInstancePublicPorts"} failed: ${message(err)}`;
      break;
    }
  }
  let after: FirewallRule[];
  try {
    after = await read();
  } catch {
    after = afterCalls(before, done);
  }
  const recorded = await finish(deps, {
    ...change,
    status: error ? "failed" : "applied",
    after,
    ...(error ? { error } : {}),
  });
  if (!error) return { applied: recorded };
  const left =
    done.length === 0
      ? "nothing was changed"
      : `the firewall was partly changed (recorded as change ${id}, which undo can revert)`;
  return fail(action, `${error}; ${left}`, done.length > 0 ? id : undefined);
}

async function enableRedirect(
  action: HttpsRedirectAction,
  deps: RemediationDeps,
  id: string,
  at: string,
): Promise<One> {
  const { region, name } = action.resource;
  let lb: LightsailLoadBalancer | undefined;
  try {
    lb = await deps.lightsail.getLoadBalancer(region, name);
  } catch (err) {
    return fail(
      action,
      `could not read the load balancer again before changing it: ${message(err)}`,
    );
  }
  if (!lb) return skip(action, "the load balancer no longer exists");
  if (lb.httpsRedirectionEnabled === true || !isHttpAndHttps(lb)) {
    return skip(
      action,
      "the load balancer changed since the audit (HTTPS or its redirection): nothing was changed",
    );
  }
  const change: AttributeChange = {
    id,
    kind: action.kind,
    ...target(action),
    summary: action.summary,
    appliedAt: at,
    status: "pending",
    attribute: action.attribute,
    before: action.before,
    after: action.after,
  };
  try {
    await deps.changes.put(change);
  } catch (err) {
    return fail(action, `could not record the change, so nothing was changed: ${message(err)}`);
  }
  try {
    await deps.lightsail.updateLoadBalancerAttribute(region, name, action.attribute, action.after);
  } catch (err) {
    const error = `UpdateLoadBalancerAttribute failed: ${message(err)}; nothing was changed`;
    await finish(deps, { ...change, status: "failed", after: action.before, error });
    return fail(action, error);
  }
  return { applied: await finish(deps, { ...change, status: "applied" }) };
}

/**
 * Applies the planned actions; never throws. Results keep the plan's order.
 *
 * @example
 * const { applied, skipped, failed } = await applyPlan(plan.planned, { lightsail, changes });
 */
export async function applyPlan(
  actions: readonly RemediationAction[],
  deps: RemediationDeps,
): Promise<ApplyOutcome> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? newChangeId;
  const outcomes = await mapLimit(actions, deps.concurrency ?? 4, async (action): Promise<One> => {
    if (deps.deadline !== undefined && now().getTime() >= deps.deadline) {
      return skip(action, "not started: the run ran out of time (the next run plans it again)");
    }
    const at = now().toISOString();
    try {
      return action.kind === "restrict-ssh"
        ? await restrictSsh(action, deps, newId(), at)
        : await enableRedirect(action, deps, newId(), at);
    } catch (err) {
      return fail(action, message(err)); // defensive: the steps above catch their own errors
    }
  });
  const result: ApplyOutcome = { applied: [], skipped: [], failed: [] };
  for (const o of outcomes) {
    if ("applied" in o) result.applied.push(o.applied);
    else if ("skipped" in o) result.skipped.push(o.skipped);
    else result.failed.push(o.failed);
  }
  return result;
}

/** The report's remediation once `outcome` has been applied (mode enforce). */
export function withOutcome(report: RemediationReport, outcome: ApplyOutcome): RemediationReport {
  return {
    ...report,
    mode: "enforce",
    skipped: [...report.skipped, ...outcome.skipped],
    applied: [...report.applied, ...outcome.applied],
    failed: [...report.failed, ...outcome.failed],
  };
}

/**
 * The act stage of an audit: nothing when the mode is off; the plan when dry-run; the plan and
 * what applying it did when enforce (`deps` required then).
 */
export async function runRemediation(
  mode: RemediationMode,
  plan: Plan,
  deps: RemediationDeps | undefined,
): Promise<RemediationReport | undefined> {
  if (mode === "off") return undefined;
  const report: RemediationReport = { mode: "dry-run", ...plan, applied: [], failed: [] };
  if (mode === "dry-run") return report;
  if (!deps) throw new ConfigError(ENFORCE_NEEDS_STORE);
  return withOutcome(report, await applyPlan(plan.planned, deps));
}

export const ENFORCE_NEEDS_STORE =
  "Invalid --remediation (REMEDIATION): enforce records every change so it can be undone, and needs the state table: set --state-table (STATE_TABLE)";
