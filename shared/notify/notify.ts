/**
 * After an audit: compare with the stored state, decide whether an alert is owed, publish it, and
 * only then advance the state. If the publish fails the state stays as it was, so the next run
 * sends the same news again: nothing is lost.
 */
import type { FindingStore, LoadedState } from "../aws/state-store";
import { AlertDeliveryError, describeError } from "../errors";
import { diffFindings, type NotifyMode, nextState, statesToWrite } from "../findings/state";
import type { AuditReport, Severity } from "../model";
import { buildSnsAlert, type SnsAlert } from "./message";
import type { ReportLocation } from "./render";

export interface AlertDeps {
  /** Without a store every FAIL is new (a stateless CLI run). */
  store?: FindingStore;
  /** Without a publisher nothing is sent and the state is left as it was (a preview). */
  publish?: (alert: SnsAlert) => Promise<string>;
  now: () => Date;
  /** Told when the state could not be saved after a delivered alert (it is not fatal). */
  onStateSaveError?: (err: unknown) => void;
  /** The state as this run already loaded it from `store` (for Security Hub): not read again. */
  loaded?: LoadedState;
}

export interface AlertSettings {
  notifyMode: NotifyMode;
  smsMinSeverity: Severity;
  renotifyDays: number;
  checksRun: readonly string[];
  onDemandHint: string;
  /** Where this run's full report is (or why it is missing), for the email and the JSON. */
  reportLocation?: ReportLocation;
  /** The state table, named in the undo commands of the fixes the email lists. */
  stateTable?: string;
}

export interface AlertOutcome {
  owed: boolean;
  sent: boolean;
  messageId?: string;
  alert: SnsAlert;
  counts: {
    new: number;
    resolved: number;
    stillOpen: number;
    renotify: number;
    /** State items written by this run (0 when nothing changed and no TTL was due). */
    stateWrites: number;
    /** Items of the old state layout moved this run (only on the first run after the upgrade). */
    stateMigrated: number;
  };
}

export async function processAlert(
  deps: AlertDeps,
  report: AuditReport,
  settings: AlertSettings,
): Promise<AlertOutcome> {
  const now = deps.now();
  // Only a run that can save may move old-layout items; a preview leaves the table as it was.
  const loaded =
    deps.loaded ??
    (deps.store
      ? await deps.store.load(report.accountId, { migrate: deps.publish !== undefined })
      : { open: [], migrated: 0 });
  const previous = loaded.open;
  const diff = diffFindings(report, previous, {
    now,
    checksRun: settings.checksRun,
    renotifySeverity: "critical",
    renotifyDays: settings.renotifyDays,
  });
  const changed =
    diff.new.length > 0 ||
    diff.resolved.length > 0 ||
    diff.renotify.length > 0 ||
    report.summary.incomplete ||
    report.expiredSuppressions.length > 0 ||
    (report.remediation?.applied.length ?? 0) > 0 ||
    (report.remediation?.failed.length ?? 0) > 0;
  const owed = settings.notifyMode === "always" || (settings.notifyMode === "on-change" && changed);
  const alert = buildSnsAlert({
    report,
    diff,
    smsMinSeverity: settings.smsMinSeverity,
    onDemandHint: settings.onDemandHint,
    reportLocation: settings.reportLocation,
    stateTable: settings.stateTable,
  });

  let messageId: string | undefined;
  if (owed && deps.publish) {
    try {
      messageId = await deps.publish(alert);
    } catch (err) {
      const { errorName, message } = describeError(err);
      throw new AlertDeliveryError(
        `Could not publish the alert (${errorName}: ${message}); state not advanced`,
        {
          cause: err,
        },
      );
    }
  }
  const sent = messageId !== undefined;
  let stateWrites = 0;
  if (deps.store && deps.publish) {
    const states = nextState(previous, diff, {
      now,
      notified: sent,
      listedAll: settings.notifyMode === "always",
    });
    const writes = statesToWrite(previous, states, now);
    try {
      await deps.store.save(report.accountId, writes);
      stateWrites = writes.length;
    } catch (err) {
      // The alert went out; at worst the next run repeats it.
      deps.onStateSaveError?.(err);
    }
  }
  return {
    owed,
    sent,
    ...(messageId !== undefined ? { messageId } : {}),
    alert,
    counts: {
      new: diff.new.length,
      resolved: diff.resolved.length,
      stillOpen: diff.stillOpen.length,
      renotify: diff.renotify.length,
      stateWrites,
      stateMigrated: loaded.migrated,
    },
  };
}
