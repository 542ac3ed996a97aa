/**
 * Applying a plan with in-memory stand-ins for Lightsail and the change store: the order of the
 * steps (record before the first write), what happens when a step fails, the deadline.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../shared/audit";
import { CHECKS } from "../../../shared/checks/index";
import { ConfigError } from "../../../shared/errors";
import type { Change, FirewallRule, LightsailLoadBalancer, PortRule } from "../../../shared/model";
import {
  applyPlan,
  type ChangeStore,
  type LightsailFixer,
  runRemediation,
} from "../../../shared/remediation/act";
import { afterCalls, firewall } from "../../../shared/remediation/firewall";
import { planRemediation } from "../../../shared/remediation/plan";
import {
  context,
  instance,
  loadBalancer,
  NOW,
  REGION,
  region,
  snapshot,
  wordpressDefaultPorts,
} from "../../helpers/snapshot";

const account = snapshot({
  lightsail: [
    region(REGION, {
      instances: [
        instance("blog", wordpressDefaultPorts()),
        instance("shop", wordpressDefaultPorts()),
      ],
      loadBalancers: [loadBalancer("wp-lb", { httpsRedirectionEnabled: false })],
    }),
  ],
});
const plan = planRemediation(evaluate(CHECKS, account, context()), account, {
  allowedSshCidrs: ["203.0.113.7/32"],
});

/** Lightsail and the store in memory; every step is logged in order. */
function world(options: { failPut?: boolean; fail?: Record<string, string> } = {}) {
  const log: string[] = [];
  const firewalls = new Map<string, PortRule[]>(
    ["blog", "shop"].map((n) => [n, structuredClone(wordpressDefaultPorts())]),
  );
  const lb: LightsailLoadBalancer = loadBalancer("wp-lb", { httpsRedirectionEnabled: false });
  const stored = new Map<string, Change>();
  const step = (what: string, name: string) => {
    log.push(`${what} ${name}`);
    const error = options.fail?.[`${what} ${name}`];
    if (error) throw Object.assign(new Error(error), { name: "InternalFailure" });
  };
  const write = (call: "open" | "close") => async (_: string, name: string, rule: FirewallRule) => {
    step(call, name);
    const rules = afterCalls(firewall(firewalls.get(name) ?? []), [{ call, rule }]);
    firewalls.set(name, rules);
  };
  const lightsail: LightsailFixer = {
    getInstancePorts: async (_, name) => {
      step("read", name);
      return structuredClone(firewalls.get(name) ?? []);
    },
    getLoadBalancer: async (_, name) => {
      step("read", name);
      return structuredClone(lb);
    },
    openInstancePublicPorts: write("open"),
    closeInstancePublicPorts: write("close"),
    updateLoadBalancerAttribute: async (_, name, attribute, value) => {
      step(`set ${attribute}=${value}`, name);
      lb.httpsRedirectionEnabled = value === "true";
    },
  };
  const changes: ChangeStore = {
    put: async (change) => {
      log.push(`record ${change.resource.name} ${change.status}`);
      if (options.failPut) throw new Error("ProvisionedThroughputExceededException");
      stored.set(change.id, structuredClone(change));
    },
    get: async (id) => stored.get(id),
  };
  let n = 0;
  const deps = {
    lightsail,
    changes,
    now: () => new Date(NOW),
    newId: () => `change${++n}`,
    concurrency: 1,
  };
  return { log, firewalls, lb, stored, deps };
}

describe("applyPlan", () => {
  it("per resource: read again, record pending, open, close, read back, record applied", async () => {
    const w = world();

    const out = await applyPlan(plan.planned, w.deps);

    expect(w.log).toEqual([
      "read blog",
      "record blog pending",
      "open blog",
      "close blog",
      "read blog",
      "record blog applied",
      "read shop",
      "record shop pending",
      "open shop",
      "close shop",
      "read shop",
      "record shop applied",
      "read wp-lb",
      "record wp-lb pending",
      "set HttpsRedirectionEnabled=true wp-lb",
      "record wp-lb applied",
    ]);
    expect(out.applied.map((c) => [c.id, c.resource.name, c.status])).toEqual([
      ["change1", "blog", "applied"],
      ["change2", "shop", "applied"],
      ["change3", "wp-lb", "applied"],
    ]);
    expect(out.applied[0]).toMatchObject({
      appliedAt: NOW,
      checkId: "lightsail-instance-ssh-not-public",
    });
  });

  it("makes no change it cannot record first", async () => {
    const w = world({ failPut: true });

    const out = await applyPlan(plan.planned, w.deps);

    expect(w.log.filter((l) => /^(open|close|set)/.test(l))).toEqual([]);
    expect(out.failed.map((f) => f.error)).toEqual([
      "could not record the change, so nothing was changed: Error: ProvisionedThroughputExceededException",
      "could not record the change, so nothing was changed: Error: ProvisionedThroughputExceededException",
      "could not record the change, so nothing was changed: Error: ProvisionedThroughputExceededException",
    ]);
  });

  it("a failed re-read or write on one resource leaves the others to be done", async () => {
    const w = world({
      fail: { "read blog": "timeout", "set HttpsRedirectionEnabled=true wp-lb": "boom" },
    });

    const out = await applyPlan(plan.planned, w.deps);

    expect(out.applied.map((c) => c.resource.name)).toEqual(["shop"]);
    expect(out.failed.map((f) => [f.resource.name, f.error])).toEqual([
      ["blog", "could not read the firewall again before changing it: InternalFailure: timeout"],
      ["wp-lb", "UpdateLoadBalancerAttribute failed: InternalFailure: boom; nothing was changed"],
    ]);
    expect(w.stored.get("change3")).toMatchObject({ status: "failed", after: "false" });
  });

  it("a Close that fails is recorded with what the firewall became, so undo can restore it", async () => {
    const w = world({ fail: { "close blog": "boom" } });

    const out = await applyPlan(plan.planned.slice(0, 1), w.deps);

    expect(out.failed[0]).toMatchObject({ changeId: "change1" });
    expect(out.failed[0]?.error).toBe(
      "CloseInstancePublicPorts failed: InternalFailure: boom; the firewall was partly changed (recorded as change change1, which undo can revert)",
    );
    const stored = w.stored.get("change1");
    expect(stored?.status).toBe("failed");
    expect(stored?.kind === "restrict-ssh" && stored.after.find((r) => r.fromPort === 22)).toEqual({
      fromPort: 22,
      toPort: 22,
      protocol: "tcp",
      cidrs: ["0.0.0.0/0", "203.0.113.7/32"],
      ipv6Cidrs: ["::/0"],
      cidrListAliases: ["lightsail-connect"],
    });
  });

  it("skips a load balancer whose redirection was turned on since the audit", async () => {
    const w = world();
    w.lb.httpsRedirectionEnabled = true;

    const out = await applyPlan(plan.planned.slice(2), w.deps);

    expect(out.skipped.map((s) => s.reason)).toEqual([
      "the load balancer changed since the audit (HTTPS or its redirection): nothing was changed",
    ]);
    expect(w.log).toEqual(["read wp-lb"]);
  });

  it("starts nothing after the deadline", async () => {
    const w = world();

    const out = await applyPlan(plan.planned, { ...w.deps, deadline: Date.parse(NOW) });

    expect(w.log).toEqual([]);
    expect(out.skipped.map((s) => s.reason)).toEqual(
      Array(3).fill("not started: the run ran out of time (the next run plans it again)"),
    );
  });
});

describe("runRemediation", () => {
  it("off: nothing; dry-run: the plan and no call; enforce: needs somewhere to record", async () => {
    const w = world();

    expect(await runRemediation("off", plan, w.deps)).toBeUndefined();
    expect(await runRemediation("dry-run", plan, w.deps)).toEqual({
      mode: "dry-run",
      ...plan,
      applied: [],
      failed: [],
    });
    expect(w.log).toEqual([]);
    await expect(runRemediation("enforce", plan, undefined)).rejects.toThrow(ConfigError);
  });
});
