/**
 * Reverts one recorded change exactly: the firewall goes back to the rules it had before (the
 * removed sources opened again first, then the added ones closed), or the load-balancer attribute
 * back to its previous value. Refuses, changing nothing, when the resource no longer looks the
 * way the change left it: undoing then would not restore the previous state, only disturb a newer
 * one.
 */
import { RemediationError } from "../errors";
import type { AttributeChange, Change, FirewallChange } from "../model";
import type { LightsailFixer, RemediationDeps } from "./act";
import { describeRule, firewall, portCalls, sameFirewall } from "./firewall";

export interface UndoOutcome {
  change: Change;
  /** `undone`: the previous state is back; `unchanged`: it already was (nothing was called). */
  result: "undone" | "unchanged";
}

const rulesText = (rules: ReturnType<typeof firewall>) =>
  rules.length > 0 ? rules.map(describeRule).join("; ") : "no rules";

async function undoFirewall(change: FirewallChange, lightsail: LightsailFixer) {
  const { region, name } = change.resource;
  const current = firewall(await lightsail.getInstancePorts(region, name));
  if (sameFirewall(current, change.before)) return "unchanged" as const;
  if (!sameFirewall(current, change.after)) {
    throw new RemediationError(
      `The firewall of instance "${name}" (${region}) no longer matches what change ${change.id} left, so undoing it would not restore the previous rules: nothing was changed.\n` +
        `  now:                 ${rulesText(current)}\n` +
        `  after the change:    ${rulesText(firewall(change.after))}\n` +
        `  before the change:   ${rulesText(firewall(change.before))}\n` +
        "Restore the rules you need by hand (Lightsail console > Instances > Networking).",
    );
  }
  for (const c of portCalls(change.after, change.before)) {
    try {
      if (c.call === "open") await lightsail.openInstancePublicPorts(region, name, c.rule);
      else await lightsail.closeInstancePublicPorts(region, name, c.rule);
    } catch (err) {
      const now = await lightsail.getInstancePorts(region, name).then(firewall, () => undefined);
      throw new RemediationError(
        `Undo of change ${change.id} failed while ${c.call === "open" ? "opening" : "closing"} ${describeRule(c.rule)}: ${(err as Error).message}. ` +
          `The firewall is now: ${now ? rulesText(now) : "unknown (it could not be read)"}.`,
        { cause: err },
      );
    }
  }
  return "undone" as const;
}

async function undoAttribute(change: AttributeChange, lightsail: LightsailFixer) {
  const { region, name } = change.resource;
  const lb = await lightsail.getLoadBalancer(region, name);
  if (!lb) {
    throw new RemediationError(
      `Load balancer "${name}" (${region}) no longer exists: nothing to undo.`,
    );
  }
  const current = String(lb.httpsRedirectionEnabled === true);
  if (current === change.before) return "unchanged" as const;
  if (current !== change.after) {
    throw new RemediationError(
      `${change.attribute} of load balancer "${name}" is ${current}, not ${change.after} as change ${change.id} left it: nothing was changed.`,
    );
  }
  await lightsail.updateLoadBalancerAttribute(region, name, change.attribute, change.before);
  return "undone" as const;
}

/**
 * Undoes change `id` and marks it undone in the store. Throws a RemediationError (naming what it
 * found) when the change is unknown, already undone, or the resource has moved on since.
 *
 * @example
 * const { change, result } = await undoChange("3f9a2c81b7d0", { lightsail, changes });
 */
export async function undoChange(
  id: string,
  deps: Pick<RemediationDeps, "lightsail" | "changes" | "now">,
): Promise<UndoOutcome> {
  const change = await deps.changes.get(id);
  if (!change) throw new RemediationError(`No change with id "${id}" is recorded.`);
  if (change.status === "undone") {
    throw new RemediationError(
      `Change ${id} was already undone on ${change.undoneAt ?? "an earlier run"}: nothing was changed.`,
    );
  }
  const result =
    change.kind === "restrict-ssh"
      ? await undoFirewall(change, deps.lightsail)
      : await undoAttribute(change, deps.lightsail);
  const undone: Change = {
    ...change,
    status: "undone",
    undoneAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  try {
    await deps.changes.put(undone);
  } catch (err) {
    throw new RemediationError(
      `Change ${id} was undone, but its record could not be marked undone (${(err as Error).message}).`,
      { cause: err },
    );
  }
  return { change: undone, result };
}
