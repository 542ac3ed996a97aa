/**
 * Security Hub: imports the audit's ASFF findings into the account's own hub with
 * BatchImportFindings, on the account's default product. Facts from the Security Hub API model
 * (botocore securityhub 2018-10-26 service-2.json): at most 100 findings per request
 * (`BatchImportFindingsRequestFindingList` max 100); "the maximum allowed size for a finding is
 * 240 Kb" (the operation's documentation); the response lists `FailedFindings` (Id, ErrorCode,
 * ErrorMessage) while the call itself succeeds. Throttling (LimitExceededException, HTTP 429) is
 * retried by the SDK's standard retry strategy; a hub that is not enabled answers
 * InvalidAccessException.
 */
import { BatchImportFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { describeError } from "../errors";
import type { AsffFinding } from "../report/asff";
import { createRequestHandler } from "./clients";

/** Everything the import needs; reading findings back is for tests only (GetFindings, not granted). */
export const SECURITY_HUB_ACTIONS = ["securityhub:BatchImportFindings"] as const;

export const BATCH_SIZE = 100;
/** 240 KB as the API documents it; measured as the finding's UTF-8 JSON. */
export const MAX_FINDING_BYTES = 240 * 1024;

export interface ImportFailure {
  id: string;
  errorCode: string;
  message: string;
}

export interface ImportOutcome {
  /** Findings Security Hub accepted. */
  imported: number;
  /** Findings not imported after one retry (or never sent: too large, or the call failed). */
  failed: ImportFailure[];
  /** BatchImportFindings requests made (retries included). */
  calls: number;
  /** Set when the hub is not enabled in the account and region: nothing was sent. */
  notEnabled?: string;
}

/** The import, as the outputs stage uses it (a fake in tests of the wiring). */
export type FindingImporter = (findings: readonly AsffFinding[]) => Promise<ImportOutcome>;

export function createSecurityHubImporter(region: string): FindingImporter {
  const client = new SecurityHubClient({ region, requestHandler: createRequestHandler() });
  return (findings) => importFindings(client, findings);
}

/**
 * Sends `findings` in requests of at most 100, each finding under 240 KB (a larger one is not
 * sent and is listed as failed); the findings the response lists as failed are sent once more.
 * Never throws: a call that fails (after the SDK's retries) fails its findings and the rest.
 *
 * @example
 * const outcome = await importFindings(new SecurityHubClient({}), toAsff(report, { region }));
 */
export async function importFindings(
  client: SecurityHubClient,
  findings: readonly AsffFinding[],
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: 0, failed: [], calls: 0 };
  const sendable: AsffFinding[] = [];
  for (const f of findings) {
    const bytes = Buffer.byteLength(JSON.stringify(f));
    if (bytes <= MAX_FINDING_BYTES) sendable.push(f);
    else {
      outcome.failed.push({
        id: f.Id,
        errorCode: "FindingTooLarge",
        message: `${bytes} bytes, over Security Hub's 240 KB per finding`,
      });
    }
  }
  const first = await sendAll(client, sendable, outcome);
  if (outcome.notEnabled || first.length === 0) {
    outcome.failed.push(...first);
    return outcome;
  }
  // Retried once: a finding failed for a passing reason (an internal error) goes in now.
  const byId = new Map(sendable.map((f) => [f.Id, f]));
  const again = first.flatMap((x) => byId.get(x.id) ?? []);
  // An id Security Hub named that we did not send cannot be retried: it stays failed.
  outcome.failed.push(...first.filter((x) => !byId.has(x.id)));
  outcome.failed.push(...(await sendAll(client, again, outcome)));
  return outcome;
}

/** Sends in batches; returns the findings that failed. Stops at a call that throws. */
async function sendAll(
  client: SecurityHubClient,
  findings: readonly AsffFinding[],
  outcome: ImportOutcome,
): Promise<ImportFailure[]> {
  const failed: ImportFailure[] = [];
  for (let i = 0; i < findings.length; i += BATCH_SIZE) {
    const batch = findings.slice(i, i + BATCH_SIZE);
    outcome.calls += 1;
    try {
      const res = await client.send(
        // The SDK's finding type is wider than ours; ours is checked against the same model.
        new BatchImportFindingsCommand({ Findings: batch as never }),
      );
      outcome.imported += res.SuccessCount ?? 0;
      for (const f of res.FailedFindings ?? []) {
        failed.push({
          id: f.Id ?? "",
          errorCode: f.ErrorCode ?? "Unknown",
          message: f.ErrorMessage ?? "",
        });
      }
    } catch (err) {
      const { errorName, message } = describeError(err);
      if (errorName === "InvalidAccessException") outcome.notEnabled = `${errorName}: ${message}`;
      // The same error would answer every later batch: they all fail with it, unsent.
      for (const f of findings.slice(i)) failed.push({ id: f.Id, errorCode: errorName, message });
      break;
    }
  }
  return failed;
}
