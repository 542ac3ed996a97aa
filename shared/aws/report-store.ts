/**
 * S3 adapter for the report bucket: each run's JSON report, its Markdown, a small summary and the
 * account's `latest.json`, at the keys shared/report/location.ts defines.
 */
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describeError, ReportStoreError } from "../errors";
import type { AuditReport } from "../model";
import { newRunId, type ReportKeys, reportKeys, runSummary } from "../report/location";
import { createRequestHandler, homeRegion } from "./clients";

/** IAM actions this adapter calls; granted on the bucket's `reports/*` objects only. */
export const REPORT_STORE_ACTIONS = ["s3:PutObject"] as const;

/** The `s3://bucket/key` URI of each object written. */
export type SavedReport = ReportKeys & { runId: string };

export interface ReportStore {
  /**
   * Writes the run's report, Markdown and summary, then `latest.json`, so that latest is never
   * newer than a run whose objects exist. Throws a ReportStoreError naming the bucket, the key
   * and S3's error at the first object that cannot be written.
   */
  save(run: { report: AuditReport; markdown: string; runId?: string }): Promise<SavedReport>;
}

const JSON_TYPE = "application/json";
// RFC 7763 registers text/markdown; the charset keeps a browser from guessing the encoding.
const MARKDOWN_TYPE = "text/markdown; charset=utf-8";

/**
 * @example
 * const store = createReportStore({ bucket: config.reportBucket });
 * const saved = await store.save({ report, markdown: renderMarkdown(report) });
 * saved.json // "s3://bucket/reports/123456789012/2026/12/01/20261201T060000Z-3fa9c2.json"
 */
export function createReportStore(options: { bucket: string; client?: S3Client }): ReportStore {
  const { bucket } = options;
  // The bucket is in the stack's region, the region the function runs in.
  const client =
    options.client ??
    new S3Client({ region: homeRegion(), requestHandler: createRequestHandler() });

  async function put(key: string, body: string, contentType: string): Promise<string> {
    try {
      // No ACL and no SSE header: the bucket enforces owner-only objects and encrypts by default.
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          // Given, so the SDK never takes a body (even an empty one) for a stream of unknown length.
          ContentLength: Buffer.byteLength(body),
        }),
      );
    } catch (err) {
      const { errorName, message } = describeError(err);
      throw new ReportStoreError(
        `Report not written to s3://${bucket}/${key}: ${errorName}${message && message !== errorName ? ` (${message})` : ""}`,
        { bucket, key, cause: err },
      );
    }
    return `s3://${bucket}/${key}`;
  }

  return {
    async save({ report, markdown, runId = newRunId(report.startedAt) }) {
      const keys = reportKeys(report.accountId, runId);
      // Compact: a third of the indented size; `aws s3 cp ... - | jq .` indents it for reading.
      const json = `${JSON.stringify(report)}\n`;
      const summary = `${JSON.stringify(runSummary(report, runId))}\n`;
      // One at a time: four small objects, and a failure names the first key not written.
      const jsonUri = await put(keys.json, json, JSON_TYPE);
      const markdownUri = await put(keys.markdown, markdown, MARKDOWN_TYPE);
      const summaryUri = await put(keys.summary, summary, JSON_TYPE);
      const latestUri = await put(keys.latest, json, JSON_TYPE);
      return {
        runId,
        json: jsonUri,
        markdown: markdownUri,
        summary: summaryUri,
        latest: latestUri,
      };
    },
  };
}
