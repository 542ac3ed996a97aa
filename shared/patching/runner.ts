/**
 * Enforce mode: send the document to the planned instances and track each run until it finishes
 * or the deadline comes. Depends on the {@link PatchCommands} interface (shared/aws/ssm.ts
 * implements it over the SDK; tests use the local fake or plain objects).
 *
 * Commands go out in chunks of at most 50 instances (SendCommand's InstanceIds limit), one chunk
 * per region and parameter set, each with MaxConcurrency/MaxErrors so a broken run cannot sweep
 * through every site at once. Results are read with GetCommandInvocation; InvocationDoesNotExist
 * is the normal answer just after sending and means "not yet". Polling backs off and stops before
 * the deadline: what has not finished is reported `pending`, and the next audit reads its result
 * from the command history.
 */
import { mapLimit } from "../collect/concurrency";
import { describeError } from "../errors";
import type { PatchOutcome, PatchPlanEntry, PatchResult } from "../model";
import { PATCH_STEP_NAME } from "./parameters";
import { FINISHED_STATUSES, parsePatchOutput } from "./result";

export interface SendCommandRequest {
  region: string;
  documentName: string;
  documentVersion: string;
  instanceIds: string[];
  parameters: Record<string, string[]>;
  /** Delivery timeout: a node that has not started the command by then never runs it. */
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  comment: string;
}

export interface Invocation {
  status: string;
  statusDetails?: string;
  responseCode?: number;
  /** Standard output (the first 24,000 characters). */
  output: string;
}

/** What the runner needs from SSM. Methods throw the SDK's errors unchanged. */
export interface PatchCommands {
  /** Returns the CommandId. */
  sendCommand(request: SendCommandRequest): Promise<string>;
  getCommandInvocation(
    region: string,
    commandId: string,
    instanceId: string,
    pluginName: string,
  ): Promise<Invocation>;
}

/** How commands are sent (see the module comment). */
export const SEND_SETTINGS = {
  chunkSize: 50,
  documentVersion: "$LATEST",
  maxConcurrency: "10",
  maxErrors: "5",
  timeoutSeconds: 600,
  comment: "lightsail-auditor: enforce automatic patching",
} as const;

export interface EnforceOptions {
  documentName: string;
  /** Epoch milliseconds after which no more polling starts. */
  deadline: number;
  /** Epoch milliseconds now. */
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** First pause before polling; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** GetCommandInvocation calls in flight at once. */
  pollConcurrency?: number;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Tracked {
  entry: PatchPlanEntry & { node: NonNullable<PatchPlanEntry["node"]> };
  commandId: string;
  lastError?: string;
}

const label = (entry: Tracked["entry"]) => ({
  instance: { name: entry.instance.name, region: entry.instance.region },
  node: { instanceId: entry.node.instanceId, region: entry.node.region },
});

function summarizeResult(result: PatchResult): string {
  const parts = [
    result.changed.length > 0
      ? `changed ${result.changed.join(", ")}`
      : "everything already in place",
  ];
  if (result.drift.length > 0) parts.push(`drift: ${result.drift.join("; ")}`);
  if (result.errors.length > 0) parts.push(`errors: ${result.errors.join("; ")}`);
  if (result.rebootRequired) parts.push("a reboot is pending");
  if (result.pendingSecurityUpdates !== null) {
    parts.push(`${result.pendingSecurityUpdates} security update(s) waiting`);
  }
  return parts.join("; ");
}

/** The outcome of a finished invocation. */
function finished(t: Tracked, inv: Invocation): PatchOutcome {
  const parsed = parsePatchOutput(inv.output);
  const result = "result" in parsed ? parsed.result : undefined;
  const base = {
    ...label(t.entry),
    commandId: t.commandId,
    ...(inv.statusDetails ? { statusDetails: inv.statusDetails } : {}),
    ...(inv.responseCode !== undefined ? { responseCode: inv.responseCode } : {}),
    ...(result ? { result } : {}),
  };
  const detail = result ? summarizeResult(result) : "error" in parsed ? parsed.error : "";
  if (inv.status === "Success" && result) {
    return { ...base, status: "succeeded", message: `Enforced: ${detail}.` };
  }
  if (inv.status === "Success") {
    return { ...base, status: "failed", message: `Finished, but ${detail}.` };
  }
  if (inv.status === "TimedOut") {
    return {
      ...base,
      status: "timed-out",
      message: `Timed out (${inv.statusDetails ?? "TimedOut"}).`,
    };
  }
  if (inv.status === "Cancelled") return { ...base, status: "cancelled", message: "Cancelled." };
  return {
    ...base,
    status: "failed",
    message: `Failed (exit code ${inv.responseCode ?? "unknown"}): ${detail}.`,
  };
}

/**
 * Sends the document to every `send` entry of the plan and tracks the runs. Never throws: a
 * SendCommand error becomes `not-sent` outcomes for its chunk.
 */
export async function enforcePlan(
  plan: readonly PatchPlanEntry[],
  commands: PatchCommands,
  options: EnforceOptions,
): Promise<PatchOutcome[]> {
  const sleep = options.sleep ?? sleepMs;
  const targets = plan.filter(
    (e): e is Tracked["entry"] => e.action === "send" && e.node !== undefined,
  );

  // One command per region and parameter set, at most 50 instances each.
  const groups = new Map<string, Tracked["entry"][]>();
  for (const entry of targets) {
    const key = `${entry.node.region} ${JSON.stringify(entry.parameters ?? {})}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const outcomes = new Map<Tracked["entry"], PatchOutcome>();
  let pending: Tracked[] = [];
  for (const group of groups.values()) {
    for (const part of chunk(group, SEND_SETTINGS.chunkSize)) {
      const [first] = part;
      if (!first) continue;
      try {
        const commandId = await commands.sendCommand({
          region: first.node.region,
          documentName: options.documentName,
          documentVersion: SEND_SETTINGS.documentVersion,
          instanceIds: part.map((e) => e.node.instanceId),
          parameters: Object.fromEntries(
            Object.entries(first.parameters ?? {}).map(([k, v]) => [k, [v]]),
          ),
          timeoutSeconds: SEND_SETTINGS.timeoutSeconds,
          maxConcurrency: SEND_SETTINGS.maxConcurrency,
          maxErrors: SEND_SETTINGS.maxErrors,
          comment: SEND_SETTINGS.comment,
        });
        pending.push(...part.map((entry) => ({ entry, commandId })));
      } catch (err) {
        const { errorName, message } = describeError(err);
        for (const entry of part) {
          outcomes.set(entry, {
            ...label(entry),
            status: "not-sent",
            message: `SendCommand failed: ${errorName}: ${message}`,
          });
        }
      }
    }
  }

  let delay = options.initialDelayMs ?? 2_000;
  while (pending.length > 0 && options.now() + delay <= options.deadline) {
    await sleep(delay);
    const still: Tracked[] = [];
    await mapLimit(pending, options.pollConcurrency ?? 5, async (t) => {
      try {
        const inv = await commands.getCommandInvocation(
          t.entry.node.region,
          t.commandId,
          t.entry.node.instanceId,
          PATCH_STEP_NAME,
        );
        if (FINISHED_STATUSES.has(inv.status)) outcomes.set(t.entry, finished(t, inv));
        else still.push({ ...t, lastError: undefined });
      } catch (err) {
        const { errorName, message } = describeError(err);
        // Just after SendCommand the invocation does not exist yet: that is "not yet", not a failure.
        still.push(
          errorName === "InvocationDoesNotExist"
            ? t
            : { ...t, lastError: `${errorName}: ${message}` },
        );
      }
    });
    pending = still;
    delay = Math.min(delay * 2, options.maxDelayMs ?? 20_000);
  }
  for (const t of pending) {
    outcomes.set(t.entry, {
      ...label(t.entry),
      commandId: t.commandId,
      status: "pending",
      message: `Still running when the audit had to stop; the next audit reads the result from the command history${t.lastError ? ` (last poll: ${t.lastError})` : ""}.`,
    });
  }
  return targets.flatMap((entry) => {
    const outcome = outcomes.get(entry);
    return outcome ? [outcome] : [];
  });
}
