/**
 * The act stage of the audit: the patching plan always (unless patching is off), and in enforce
 * mode the runs and their outcomes. Nothing is ever sent in dry-run, nor to an instance the plan
 * skips.
 */
import { AuditFailedError } from "../errors";
import type { AccountSnapshot, PatchingMode, PatchingReport, PatchTargets } from "../model";
import { planPatching } from "./plan";
import { enforcePlan, type PatchCommands, SEND_SETTINGS } from "./runner";

/** How long enforcement waits for the runs when the caller gives no deadline (the CLI). */
export const PATCH_WAIT_MS = 5 * 60_000;

export interface PatchingDeps {
  /** Required in enforce mode. */
  commands?: PatchCommands;
  /** Where a document given by name lives: the region the SDK is configured for. */
  homeRegion: string;
  /** Epoch milliseconds by which tracking stops (unfinished runs are reported pending). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  /** First pause before reading results (default 2 s, doubling up to 20 s). */
  initialDelayMs?: number;
}

export interface PatchingSettings {
  patching: PatchingMode;
  patchTargets: PatchTargets;
  patchDocument: string;
}

const ARN = /^arn:[^:]+:ssm:([^:]+):\d{12}:document\/(.+)$/;

/**
 * The document's name and region: from its ARN, or a plain name in the home region.
 *
 * @example
 * documentRef("arn:aws:ssm:eu-west-1:123456789012:document/x", "us-east-1") // { name: "x", region: "eu-west-1" }
 */
export function documentRef(document: string, homeRegion: string) {
  const arn = ARN.exec(document);
  return arn
    ? { name: arn[2] ?? document, region: arn[1] ?? homeRegion }
    : { name: document, region: homeRegion };
}

/** The patching section of the report, or undefined when patching is off. */
export async function runPatching(
  snapshot: AccountSnapshot,
  settings: PatchingSettings,
  deps: PatchingDeps & { deadline: number },
  now: () => number,
): Promise<PatchingReport | undefined> {
  if (settings.patching === "off") return undefined;
  const document = documentRef(settings.patchDocument, deps.homeRegion);
  const plan = planPatching(snapshot, {
    targets: settings.patchTargets,
    documentRegion: document.region,
  });
  const report: PatchingReport = {
    mode: settings.patching,
    targets: settings.patchTargets,
    document: { ...document, version: SEND_SETTINGS.documentVersion },
    plan,
    outcomes: [],
  };
  if (settings.patching !== "enforce" || !plan.some((e) => e.action === "send")) return report;
  if (!deps.commands) {
    throw new AuditFailedError("Patching is set to enforce, but no SSM client was provided");
  }
  report.outcomes = await enforcePlan(plan, deps.commands, {
    documentName: settings.patchDocument,
    deadline: deps.deadline,
    now,
    sleep: deps.sleep,
    initialDelayMs: deps.initialDelayMs,
  });
  return report;
}
