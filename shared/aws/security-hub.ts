/**
 * Security Hub: imports the audit's ASFF findings into the account's own hub with
 * BatchImportFindings, on the account's default product. Facts from the Security Hub API model
 * (botocore securityhub 2018-10-26 service-2.json): at most 100 findings per request
 * (`BatchImportFindingsRequestFindingList` max 100); "the maximum allowed size for a finding is
 * 240 Kb" (the operation's documentation); the response lists `FailedFindings` (Id, ErrorCode,
 * ErrorMessage) while the call itself succeeds. Throttling (LimitExceededException, HTTP 429) is
 * retried by the SDK's standard retry strategy; a hub that is not enabled answers
 * InvalidAccessException. The Security Hub partner guide ("Guidelines for using the
 * BatchImportFindings API") adds at most 6 MB per batch and a rate of 10 requests a second per
 * account and region (burst 30).
 */
import { BatchImportFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { describeError } from "../errors";
import type { AsffFinding } from "../report/asff";
import { createRequestHandler, type StaticCredentials } from "./clients";

type RequestHandlerLike = ReturnType<typeof createRequestHandler>;

/** Everything the import needs; reading findings back is for tests only (GetFindings, not granted). */
export const SECURITY_HUB_ACTIONS = ["securityhub:BatchImportFindings"] as const;

export const BATCH_SIZE = 100;
/** 240 KB as the API documents it; measured as the finding's UTF-8 JSON. */
export const MAX_FINDING_BYTES = 240 * 1024;
/** 6 MB per request (the partner guide), so a batch of large findings is cut before 100. */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;

export interface ImportFailure {
  id: string;
  errorCode: string;
  message: string;
}

export interface ImportOutcome {
  /** Findings Security Hub accepted. */
  imported: number;
  /** Findings not imported after one retry (or never sent: too large, past the deadline, or a
   * call that failed). */
  failed: ImportFailure[];
  /** BatchImportFindings requests made (retries included). */
  calls: number;
  /** Set when the hub is not enabled in the account and region: nothing was sent. */
  notEnabled?: string;
}

export interface ImportOptions {
  /** Epoch ms after which no request starts: the rest fail as DeadlineExceeded, unsent. */
  deadline?: number;
}

/** The import, as the outputs stage uses it (a fake in tests of the wiring). */
export type FindingImporter = (
  findings: Iterable<AsffFinding>,
  options?: ImportOptions,
) => Promise<ImportOutcome>;

export function createSecurityHubImporter(
  region: string,
  /** A member account's session (organization mode): its findings go to its own hub. */
  session: { credentials?: StaticCredentials; requestHandler?: RequestHandlerLike } = {},
): FindingImporter {
  const client = new SecurityHubClient({
    region,
    requestHandler: session.requestHandler ?? createRequestHandler(),
    ...(session.credentials ? { credentials: session.credentials } : {}),
  });
  return (findings, options) => importFindings(client, findings, options);
}

/**
 * Sends `findings` in requests of at most 100, each finding under 240 KB (a larger one is not
 * sent and is listed as failed); the findings a response lists as failed are sent once more.
 * Reads `findings` one at a time, so a generator keeps no more than a batch in memory (and the
 * failed ones until their retry). Never throws: a call that fails (after the SDK's retries)
 * fails its findings and every later one, unsent.
 *
 * @example
 * const outcome = await importFindings(new SecurityHubClient({}), toAsff(report, { region }));
 */
export async function importFindings(
  client: SecurityHubClient,
  findings: Iterable<AsffFinding>,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: 0, failed: [], calls: 0 };
  /** Set by a call that threw, or the deadline: every later finding fails with it, unsent. */
  let stop: Omit<ImportFailure, "id"> | undefined;

  /** Sends one batch; returns the findings of it Security Hub refused. */
  const send = async (batch: AsffFinding[]): Promise<AsffFinding[]> => {
    if (batch.length === 0) return [];
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      stop = { errorCode: "DeadlineExceeded", message: "not sent: the run's deadline had passed" };
    }
    if (stop) {
      for (const f of batch) outcome.failed.push({ id: f.Id, ...stop });
      return [];
    }
    outcome.calls += 1;
    try {
      const res = await client.send(
        // The SDK's finding type is wider than ours; ours is checked against the same model.
        new BatchImportFindingsCommand({ Findings: batch as never }),
      );
      outcome.imported += res.SuccessCount ?? 0;
      const byId = new Map(batch.map((f) => [f.Id, f]));
      const refused: AsffFinding[] = [];
      for (const x of res.FailedFindings ?? []) {
        const f = byId.get(x.Id ?? "");
        // An id we did not send cannot be retried: it stays failed.
        if (f) refused.push(f);
        else {
          outcome.failed.push({
            id: x.Id ?? "",
            errorCode: x.ErrorCode ?? "Unknown",
            message: x.ErrorMessage ?? "",
          });
        }
        lastError.set(x.Id ?? "", {
          errorCode: x.ErrorCode ?? "Unknown",
          message: x.ErrorMessage ?? "",
        });
      }
      return refused;
    } catch (err) {
      const { errorName, message } = describeError(err);
      if (errorName === "InvalidAccessException") outcome.notEnabled = `${errorName}: ${message}`;
      // The same error would answer every later batch: they all fail with it, unsent.
      stop = { errorCode: errorName, message };
      for (const f of batch) outcome.failed.push({ id: f.Id, ...stop });
      return [];
    }
  };
  const lastError = new Map<string, Omit<ImportFailure, "id">>();

  /** One pass over `items` in batches; returns the findings Security Hub refused. */
  const pass = async (items: Iterable<AsffFinding>): Promise<AsffFinding[]> => {
    const refused: AsffFinding[] = [];
    let batch: AsffFinding[] = [];
    let batchBytes = 0;
    const flush = async () => {
      refused.push(...(await send(batch)));
      batch = [];
      batchBytes = 0;
    };
    for (const f of items) {
      const bytes = Buffer.byteLength(JSON.stringify(f));
      if (bytes > MAX_FINDING_BYTES) {
        outcome.failed.push({
          id: f.Id,
          errorCode: "FindingTooLarge",
          message: `${bytes} bytes, over Security Hub's 240 KB per finding`,
        });
        continue;
      }
      if (batchBytes + bytes > MAX_BATCH_BYTES) await flush();
      batch.push(f);
      batchBytes += bytes;
      if (batch.length === BATCH_SIZE) await flush();
    }
    await flush();
    return refused;
  };
  const refused = await pass(findings);
  // Retried once: a finding refused for a passing reason (an internal error) goes in now.
  for (const f of await pass(refused)) {
    outcome.failed.push({
      id: f.Id,
      ...(lastError.get(f.Id) ?? { errorCode: "Unknown", message: "" }),
    });
  }
  return outcome;
}
