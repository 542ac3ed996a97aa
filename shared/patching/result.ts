/**
 * Reading what a run of the patching script reported: its one JSON line (enforce-patching.sh
 * prints it first on stdout, so it survives ListCommandInvocations' 2,500-character `Output`),
 * and the latest finished run per node. Pure.
 */
import * as z from "zod";
import type { PatchResult, PatchRun } from "../model";

/** How far back the audit reads the document's runs (SSM keeps command history for 30 days). */
export const PATCH_HISTORY_DAYS = 30;

/** Every result line starts with this; the number is the line's format version. */
export const RESULT_MARKER = '{"lightsailAuditorPatch":1,';

/** Invocation statuses after which nothing changes any more. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set([
  "Success",
  "Failed",
  "TimedOut",
  "Cancelled",
]);

/** A run of the document on one node, as the adapter reads it. */
export interface CommandRun {
  commandId: string;
  instanceId: string;
  requestedAt?: string;
  status: string;
  statusDetails?: string;
  responseCode?: number;
  documentVersion?: string;
  /** The step's output (stdout first; SSM keeps the first 2,500 characters in listings). */
  output: string;
}

const resultLine = z.object({
  lightsailAuditorPatch: z.literal(1),
  changed: z.array(z.string()),
  updatesOrigin: z.boolean(),
  settings: z.record(z.string(), z.string()),
  drift: z.array(z.string()),
  rebootRequired: z.boolean(),
  pendingSecurityUpdates: z.number().int().nonnegative().nullable(),
  dryRun: z.string(),
  errors: z.array(z.string()),
});

/**
 * The result line of a run's output, parsed and checked; or why it cannot be read.
 *
 * @example
 * parsePatchOutput('{"lightsailAuditorPatch":1,"changed":[],…}\n----------ERROR-------\n…')
 */
export function parsePatchOutput(output: string): { result: PatchResult } | { error: string } {
  const line = output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith(RESULT_MARKER));
  if (line === undefined) return { error: "its output holds no lightsail-auditor result line" };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: "its result line is not valid JSON (cut short?)" };
  }
  const parsed = resultLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `its result line is malformed (${issue?.path.join(".")}: ${issue?.message})` };
  }
  const { lightsailAuditorPatch: _version, ...result } = parsed.data;
  return { result };
}

/** A finished run as a snapshot fact, its output reduced to the parsed result. */
export function toPatchRun(run: CommandRun): PatchRun {
  const parsed = parsePatchOutput(run.output);
  return {
    commandId: run.commandId,
    instanceId: run.instanceId,
    requestedAt: run.requestedAt,
    status: run.status,
    statusDetails: run.statusDetails,
    responseCode: run.responseCode,
    documentVersion: run.documentVersion,
    ...("result" in parsed
      ? { result: parsed.result }
      : { result: null, resultError: parsed.error }),
  };
}

/** The most recently requested finished run of each node, ordered by node id. */
export function latestRuns(runs: readonly CommandRun[]): PatchRun[] {
  const latest = new Map<string, CommandRun>();
  for (const run of runs) {
    if (!FINISHED_STATUSES.has(run.status)) continue;
    const seen = latest.get(run.instanceId);
    if (!seen || (run.requestedAt ?? "") > (seen.requestedAt ?? ""))
      latest.set(run.instanceId, run);
  }
  return [...latest.values()]
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId))
    .map(toPatchRun);
}
