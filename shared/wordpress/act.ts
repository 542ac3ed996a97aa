/**
 * Starts the next WordPress inventory: after the checks have judged the newest completed one, the
 * audit sends the (read-only) document to every WordPress instance's managed node and does not
 * wait: the next audit reads the results from the command history, so no run waits for
 * instances.
 *
 * Targets: instances not tagged wp-inventory=false, whose blueprint is WordPress or whose last
 * inventory found an install, that map to exactly one Online Linux node by tag or name (never by
 * private IP alone), registered in the document's region (a command runs only there). Sent in
 * chunks of 50 (SendCommand's InstanceIds limit), one chunk per wordpressPaths value (the
 * instance's wp-inventory-paths tag, when the document would accept it).
 */
import { isWordPress } from "../checks/lib/resources";
import { optedOut } from "../checks/lib/wordpress";
import { describeError } from "../errors";
import type { AccountSnapshot, CollectionFailure } from "../model";
import { documentRef } from "../patching/act";
import { chunk, type PatchCommands, SEND_SETTINGS } from "../patching/runner";
import { instanceKey, snapshotMatches } from "../patching/targets";
import spec from "./document-spec.json";

/** The checks that judge the inventory: none runs when the inventory is off. */
export const WORDPRESS_CHECK_IDS: ReadonlySet<string> = new Set([
  "wordpress-core-not-insecure",
  "wordpress-plugins-up-to-date",
  "wordpress-themes-up-to-date",
  "wordpress-file-editing-disabled",
  "wordpress-debug-output-off",
  "wordpress-config-not-world-readable",
  "wordpress-core-auto-updates-on",
]);

/** What the act stage did: the commands sent, and the failures to list in the report. */
export interface InventoryStart {
  sent: { region: string; commandId: string; instanceIds: string[] }[];
  failures: CollectionFailure[];
}

const PATHS = spec.parameters.wordpressPaths;
const pathsAllowed = (v: string) => new RegExp(PATHS.allowedPattern).test(v);

/** The nodes to inventory, grouped by their wordpressPaths value. Pure. */
export function inventoryTargets(
  snapshot: AccountSnapshot,
  documentRegion: string,
): Map<string, string[]> {
  const { matches } = snapshotMatches(snapshot);
  const groups = new Map<string, string[]>();
  for (const facts of snapshot.lightsail) {
    for (const instance of facts.instances ?? []) {
      if (optedOut(instance)) continue;
      const match = matches.get(instanceKey(instance));
      if (match?.kind !== "matched" || match.by === "ip") continue;
      const node = match.node;
      if (node.region !== documentRegion || node.pingStatus !== "Online") continue;
      if (node.platformType !== undefined && node.platformType !== "Linux") continue;
      const runs = snapshot.lightsail.find((r) => r.region === node.region)?.wordpressInventories;
      const found = runs?.find((r) => r.instanceId === node.instanceId)?.inventory?.sites.length;
      if (!isWordPress(instance) && !found) continue;
      const tag = instance.tags.find((t) => t.key === PATHS.tag)?.value?.trim() ?? PATHS.default;
      const paths = pathsAllowed(tag) ? tag : PATHS.default;
      groups.set(paths, [...(groups.get(paths) ?? []), node.instanceId]);
    }
  }
  return groups;
}

/**
 * Sends the inventory document to the targets. Never throws: a failed SendCommand is a failure
 * of the report (the audit is then incomplete), and the other chunks go on.
 */
export async function startInventories(
  snapshot: AccountSnapshot,
  settings: { wordpressDocument: string },
  deps: { commands: PatchCommands; homeRegion: string },
): Promise<InventoryStart> {
  const document = documentRef(settings.wordpressDocument, deps.homeRegion);
  const out: InventoryStart = { sent: [], failures: [] };
  for (const [paths, nodes] of inventoryTargets(snapshot, document.region)) {
    for (const instanceIds of chunk([...nodes].sort(), SEND_SETTINGS.chunkSize)) {
      try {
        const commandId = await deps.commands.sendCommand({
          region: document.region,
          documentName: settings.wordpressDocument,
          documentVersion: SEND_SETTINGS.documentVersion,
          instanceIds,
          parameters: { wordpressPaths: [paths] },
          timeoutSeconds: SEND_SETTINGS.timeoutSeconds,
          maxConcurrency: SEND_SETTINGS.maxConcurrency,
          maxErrors: SEND_SETTINGS.maxErrors,
          comment: "lightsail-auditor: read-only WordPress inventory",
        });
        out.sent.push({ region: document.region, commandId, instanceIds });
      } catch (err) {
        const { errorName, message } = describeError(err);
        out.failures.push({
          source: "ssm",
          region: document.region,
          operation: "SendCommand",
          errorName,
          message: `the next WordPress inventory was not started on ${instanceIds.length} node(s): ${message}`,
        });
      }
    }
  }
  return out;
}
