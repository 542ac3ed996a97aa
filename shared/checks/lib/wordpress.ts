/**
 * What the WordPress checks share: which instances they judge, the inventory each one is judged
 * on, and the ERRORs that stand in for a verdict when there is none (no managed node, no
 * inventory yet, a stale or unreadable one). Pure.
 *
 * An instance is judged when its blueprint is WordPress or its inventory found an install, unless
 * it carries the opt-out tag wp-inventory=false. One result per instance: its installs (usually
 * one) are judged together.
 */
import type {
  AccountSnapshot,
  CheckContext,
  LightsailInstance,
  Outcome,
  WordPressConstant,
  WordPressInventoryRun,
  WordPressOrgFacts,
  WordPressSite,
} from "../../model";
import { describeNode, instanceKey, matchEvidence, snapshotMatches } from "../../patching/targets";
import { INVENTORY_OPT_OUT_TAG } from "../../wordpress/inventory";
import { eachInstance, formatUtc, instanceRef, isWordPress, joinList } from "./resources";

/** The defaults when the context carries no WordPress settings (tests, the CLI's defaults). */
export const WORDPRESS_DEFAULTS = {
  lookups: true,
  maxAgeSeconds: 2 * 86_400,
  documentName: "lightsail-auditor-prod-wordpress-inventory",
} as const;

export const settingsOf = (ctx: CheckContext) => ctx.wordpress ?? WORDPRESS_DEFAULTS;

/** True when the instance carries wp-inventory=false (any case, stray spaces). */
export function optedOut(instance: LightsailInstance): boolean {
  return instance.tags.some(
    (t) =>
      t.key === INVENTORY_OPT_OUT_TAG.key &&
      t.value?.trim().toLowerCase() === INVENTORY_OPT_OUT_TAG.value,
  );
}

/** A site as messages name it: `/opt/bitnami/wordpress`. */
export const sitePath = (site: WordPressSite) => JSON.stringify(site.path).slice(1, -1);

/**
 * Where one instance stands: its inventory's installs, or the ERROR that replaces a verdict, or
 * nothing to judge (not WordPress, opted out).
 */
export function inventoryOf(
  snapshot: AccountSnapshot,
  ctx: CheckContext,
  instance: LightsailInstance,
  matches: ReturnType<typeof snapshotMatches>,
): { sites: WordPressSite[]; run: WordPressInventoryRun } | { error: string } | undefined {
  if (optedOut(instance)) return undefined;
  const wordpress = isWordPress(instance);
  const name = `instance "${instance.name}"`;
  const match = matches.matches.get(instanceKey(instance)) ?? { kind: "none" };
  if (match.kind === "none") {
    if (!wordpress) return undefined;
    if (matches.unknownNodeRegions.length > 0) {
      return {
        error: `The managed nodes of ${joinList(matches.unknownNodeRegions)} could not be listed, so whether WordPress on ${name} can be inventoried is unknown.`,
      };
    }
    return {
      error: `WordPress on ${name} cannot be inventoried: no SSM managed node maps to it, so the auditor cannot read its WordPress version, plugins or settings. See lightsail-instance-ssm-managed to register it.`,
    };
  }
  if (match.kind === "conflict") {
    return wordpress
      ? {
          error: `WordPress on ${name} cannot be inventoried: ${joinList(match.nodes.map(describeNode))} all claim the instance, and the auditor does not guess. See lightsail-instance-ssm-managed.`,
        }
      : undefined;
  }
  if (match.by === "ip") {
    return wordpress
      ? {
          error: `WordPress on ${name} is not inventoried: only node ${describeNode(match.node)} shares its private IP address (${matchEvidence("ip")}), a weak match the auditor never runs commands on. Tag the node lightsail:instance=${instance.name}.`,
        }
      : undefined;
  }
  const node = match.node;
  const region = snapshot.lightsail.find((r) => r.region === node.region);
  const runs = region?.wordpressInventories;
  if (runs === null || runs === undefined) {
    return {
      error: `The WordPress inventories of ${node.region} could not be read, so WordPress on ${name} (node ${describeNode(node)}) is not judged.`,
    };
  }
  const run = runs.find((r) => r.instanceId === node.instanceId);
  const settings = settingsOf(ctx);
  if (!run) {
    return wordpress
      ? {
          error: `WordPress on ${name} has no inventory yet: the document ${settings.documentName} has not completed on node ${describeNode(node)}. The audit starts one on every run; its results count from the next audit.`,
        }
      : undefined;
  }
  const at = run.requestedAt ? formatUtc(run.requestedAt) : "time unknown";
  if (!run.inventory) {
    return {
      error: `The last WordPress inventory of ${name} (command ${run.commandId}, ${at}) cannot be used: ${run.resultError ?? "it printed nothing"}.`,
    };
  }
  const age = run.requestedAt
    ? (Date.parse(ctx.now) - Date.parse(run.requestedAt)) / 1000
    : Number.POSITIVE_INFINITY;
  if (!(age <= settings.maxAgeSeconds)) {
    return {
      error: `The newest WordPress inventory of ${name} is stale (command ${run.commandId}, ${at}; older than ${Math.round(settings.maxAgeSeconds / 3600)} hours, twice the audit's schedule): the instance has not answered since. Check that its SSM agent is Online.`,
    };
  }
  if (run.inventory.sites.length === 0) {
    return wordpress
      ? {
          error: `The inventory of ${name} (${at}) found no WordPress install at /opt/bitnami/wordpress or under /var/www${run.inventory.errors.length > 0 ? ` (${joinList(run.inventory.errors)})` : ""}. If WordPress lives elsewhere, tag the instance wp-inventory-paths=<directory>.`,
        }
      : undefined;
  }
  return { sites: run.inventory.sites, run };
}

/**
 * One outcome per WordPress instance: `judge` decides from its installs; the ERRORs of
 * inventoryOf otherwise. `judge` may return undefined (nothing to say: no result).
 */
export function eachWordPressInstance(
  snapshot: AccountSnapshot,
  ctx: CheckContext,
  judge: (
    sites: WordPressSite[],
    instance: LightsailInstance,
    run: WordPressInventoryRun,
  ) => Pick<Outcome, "status" | "message" | "severity"> | undefined,
): Outcome[] {
  const matches = snapshotMatches(snapshot);
  return eachInstance(snapshot, "whether their WordPress is safe is unknown", (instance) => {
    const state = inventoryOf(snapshot, ctx, instance, matches);
    if (state === undefined) return [];
    const resource = instanceRef(instance);
    if ("error" in state) return [{ status: "ERROR", resource, message: state.error }];
    const verdict = judge(state.sites, instance, state.run);
    return verdict ? [{ ...verdict, resource }] : [];
  });
}

/** A constant's value, or `undefined` when wp-config.php does not define it. */
export function constant(site: WordPressSite, name: string): WordPressConstant | undefined {
  const constants = site.config?.constants ?? {};
  return Object.hasOwn(constants, name) ? constants[name] : undefined;
}

/** PHP truthiness of a literal: `true`, a non-zero number, a non-empty string other than "0". */
export function truthy(value: WordPressConstant | undefined): boolean | undefined {
  if (value === undefined) return false;
  if (value === null) return undefined;
  if (typeof value === "string") return value !== "" && value !== "0";
  return Boolean(value);
}

/** "on the install at /var/www/blog" when the instance has several, else "". */
export function where(sites: WordPressSite[], site: WordPressSite): string {
  return sites.length > 1 ? ` (install ${sitePath(site)})` : "";
}

/** The site's wp-config.php when it could be read; otherwise `unknown` gets why not. */
export function readableConfig(
  sites: WordPressSite[],
  site: WordPressSite,
  unknown: string[],
): NonNullable<WordPressSite["config"]> | undefined {
  if (!site.config) unknown.push(`no wp-config.php was found${where(sites, site)}`);
  else if (!site.config.readable) unknown.push(`${site.config.path} could not be read`);
  else return site.config;
  return undefined;
}

/**
 * The wp-config.php checks' verdict for one instance: FAIL when anything failed, else ERROR when
 * anything is unknown, else PASS. `fail` and `unknown` get their lists joined with "; ".
 */
export function verdict(
  fails: readonly string[],
  unknown: readonly string[],
  messages: { fail(list: string): string; unknown(list: string): string; pass(): string },
): Pick<Outcome, "status" | "message"> {
  if (fails.length > 0) return { status: "FAIL", message: messages.fail(fails.join("; ")) };
  if (unknown.length > 0) {
    return { status: "ERROR", message: messages.unknown(unknown.join("; ")) };
  }
  return { status: "PASS", message: messages.pass() };
}

/** The common caveat when wp-config.php loads other files whose constants were not read. */
export function otherFilesNote(sites: WordPressSite[]): string {
  const loading = sites.filter((s) => s.config?.loadsOtherFiles);
  return loading.length > 0
    ? ` Note: ${joinList(loading.map((s) => `${sitePath(s)}/wp-config.php`))} loads other files, whose settings the inventory does not read.`
    : "";
}

/**
 * Compares dotted versions part by part, numerically where both parts are numbers ("5.10" >
 * "5.9", "2.6.3.1" > "2.6.3"); other parts as text. Negative when a < b.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(/[.-]/);
  const pb = b.trim().split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "0";
    const y = pb[i] ?? "0";
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    const d = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (d !== 0) return d;
  }
  return 0;
}

/** The wordpress.org facts, or the ERROR message when they are missing (lookups on). */
export function orgFacts(
  snapshot: AccountSnapshot,
): { org: WordPressOrgFacts } | { error: string } {
  const org = snapshot.wordpressOrg;
  if (!org) {
    return {
      error:
        "wordpress.org could not be reached: the audit has no answer from its API this run, so the versions cannot be compared.",
    };
  }
  return { org };
}
