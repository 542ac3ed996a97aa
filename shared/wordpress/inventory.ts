/**
 * Reading what runs of the WordPress inventory document printed (inventory.sh: one JSON document
 * on stdout), and picking the newest completed run per node. Pure.
 */
import * as z from "zod";
import type { WordPressInventory, WordPressInventoryRun } from "../model";
import { type CommandRun, FINISHED_STATUSES } from "../patching/result";
import spec from "./document-spec.json";

/** The document's one step: `GetCommandInvocation`'s `PluginName`. */
export const INVENTORY_STEP_NAME: string = spec.stepName;

/** The Lightsail tag that keeps the inventory off an instance (value `false`). */
export const INVENTORY_OPT_OUT_TAG = { key: "wp-inventory", value: "false" } as const;

const entry = z.tuple([z.string(), z.string()]);
const constant = z.union([z.boolean(), z.number(), z.string(), z.null()]);

const inventoryDocument = z.object({
  lightsailAuditorWp: z.literal(1),
  sites: z.array(
    z.object({
      path: z.string(),
      core: z.string().nullable(),
      config: z
        .object({
          path: z.string(),
          mode: z.string(),
          owner: z.string(),
          group: z.string(),
          readable: z.boolean(),
          loadsOtherFiles: z.boolean(),
          constants: z.record(z.string(), constant),
        })
        .nullable(),
      debugLog: z.object({ path: z.string(), bytes: z.number(), served: z.boolean() }).nullable(),
      plugins: z.array(entry),
      pluginsMore: z.number().int().nonnegative(),
      muPlugins: z.array(entry),
      muPluginsMore: z.number().int().nonnegative(),
      themes: z.array(entry),
      themesMore: z.number().int().nonnegative(),
      activeTheme: z.string().nullable(),
    }),
  ),
  listCap: z.number().int().nonnegative(),
  errors: z.array(z.string()),
});

/**
 * The inventory a run printed, checked; or why it cannot be read. The document is the first line
 * of the output that starts with the marker (SSM appends the error output after it).
 *
 * @example
 * parseInventoryOutput('{"lightsailAuditorWp":1,"sites":[],"listCap":200,"errors":[]}\n')
 * // { inventory: { sites: [], listCap: 200, errors: [] } }
 */
export function parseInventoryOutput(
  output: string,
): { inventory: WordPressInventory } | { error: string } {
  const line = output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith('{"lightsailAuditorWp":'));
  if (line === undefined) return { error: "its output holds no inventory" };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: "its inventory is not valid JSON (cut short?)" };
  }
  const parsed = inventoryDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `its inventory is malformed (${issue?.path.join(".")}: ${issue?.message})` };
  }
  const { lightsailAuditorWp: _version, ...inventory } = parsed.data;
  return { inventory };
}

/**
 * Per node, the newest run that succeeded, else (none did) the newest finished one, so a node
 * whose inventories all fail says why. Ordered by node id.
 */
export function newestRuns(runs: readonly CommandRun[]): CommandRun[] {
  const newest = new Map<string, CommandRun>();
  const rank = (r: CommandRun) => `${r.status === "Success" ? 1 : 0}${r.requestedAt ?? ""}`;
  for (const run of runs) {
    if (!FINISHED_STATUSES.has(run.status)) continue;
    const seen = newest.get(run.instanceId);
    if (!seen || rank(run) > rank(seen)) newest.set(run.instanceId, run);
  }
  return [...newest.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

/**
 * A run as a snapshot fact. `output`: the whole standard output (GetCommandInvocation); `null`
 * when reading it failed; `undefined` for a run that did not succeed (nothing to read).
 */
export function toInventoryRun(
  run: CommandRun,
  output: string | null | undefined,
): WordPressInventoryRun {
  const base = {
    commandId: run.commandId,
    instanceId: run.instanceId,
    requestedAt: run.requestedAt,
    status: run.status,
    statusDetails: run.statusDetails,
  };
  if (output === undefined) {
    return { ...base, inventory: null, resultError: `the run did not succeed (${run.status})` };
  }
  if (output === null) {
    return {
      ...base,
      inventory: null,
      resultError: "its output could not be read (GetCommandInvocation failed)",
    };
  }
  const parsed = parseInventoryOutput(output);
  return "inventory" in parsed
    ? { ...base, inventory: parsed.inventory }
    : { ...base, inventory: null, resultError: parsed.error };
}
