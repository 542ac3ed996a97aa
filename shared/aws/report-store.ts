/**
 * S3 adapter for the report bucket: each run's JSON report, its Markdown and HTML, a small summary
 * and the account's `latest.json`, at the keys shared/report/location.ts defines; and the recent
 * runs' summaries, for the HTML report's trend.
 */
import { Readable } from "node:stream";
import { GetObjectCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { describeError, ReportStoreError } from "../errors";
import type { AuditReport } from "../model";
import { jsonChunks } from "../report/json";
import {
  newRunId,
  type ReportKeys,
  type RunSummary,
  reportKeys,
  runSummary,
  summariesPrefix,
} from "../report/location";
import { createRequestHandler, homeRegion } from "./clients";
import { guarded } from "./pages";

/**
 * IAM actions this adapter calls; granted on the bucket's `reports/*` objects only. s3:PutObject
 * also authorizes CreateMultipartUpload, UploadPart and CompleteMultipartUpload; aborting a failed
 * multipart upload needs its own action (Service Authorization Reference for Amazon S3).
 */
export const REPORT_STORE_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload"] as const;

/**
 * What {@link ReportStore.recentSummaries} calls: ListObjectsV2 is authorized by s3:ListBucket on
 * the bucket (narrowed by the `s3:prefix` condition key to the summaries), GetObject by
 * s3:GetObject on the summary objects only (Service Authorization Reference for Amazon S3).
 */
export const REPORT_TREND_ACTIONS = ["s3:ListBucket", "s3:GetObject"] as const;

/** Summaries read at once: a trend of 30 runs takes a few round trips, not 30 in a row. */
const SUMMARY_READS_AT_ONCE = 6;
/**
 * Upload parts: S3's minimum, 5 MiB, one at a time. A large report goes up as a multipart upload
 * streamed from its serialiser, so memory holds a part or two, never the whole object; a body
 * smaller than one part is a single PutObject. With 8 MiB parts two at a time, the upload's
 * buffers reached 95 MB at 50,000 instances and the function 518 MB (bench/lambda-path.ts).
 */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 1;

function* bytes(pieces: Iterable<string>): Generator<Buffer> {
  for (const piece of pieces) yield Buffer.from(piece, "utf8");
}

/** Pieces of `text` of at most `size` characters (a long string uploaded without one copy). */
function* slices(text: string, size = 1 << 20): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** The `s3://bucket/key` URI of each object written (`html` when it was given). */
export type SavedReport = Omit<ReportKeys, "html"> & { runId: string; html?: string };

export interface ReportStore {
  /**
   * Writes the run's report, Markdown and summary, then `latest.json`, so that latest is never
   * newer than a run whose objects exist. Throws a ReportStoreError naming the bucket, the key
   * and S3's error at the first object that cannot be written.
   */
  save(run: {
    report: AuditReport;
    markdown: string;
    /** The HTML rendering, written beside the JSON when given. */
    html?: string;
    runId?: string;
  }): Promise<SavedReport>;
  /**
   * The summaries of the account's last `limit` stored runs, oldest first: one small object per
   * run, never a whole report. Throws when the listing or a read fails (the caller draws no
   * trend rather than a wrong one).
   */
  recentSummaries(accountId: string, limit: number): Promise<RunSummary[]>;
}

const JSON_TYPE = "application/json";
// RFC 7763 registers text/markdown; the charset keeps a browser from guessing the encoding.
const MARKDOWN_TYPE = "text/markdown; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";

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

  async function put(key: string, body: Iterable<string>, contentType: string): Promise<string> {
    try {
      // No ACL and no SSE header: the bucket enforces owner-only objects and encrypts by default.
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: Readable.from(bytes(body), { objectMode: false }),
          ContentType: contentType,
        },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
      });
      await upload.done();
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
    async save({ report, markdown, html, runId = newRunId(report.startedAt) }) {
      const keys = reportKeys(report.accountId, runId);
      const summary = `${JSON.stringify(runSummary(report, runId))}\n`;
      // One at a time, and a failure names the first key not written. The JSON is compact (a
      // third of the indented size; `aws s3 cp ... - | jq .` indents it) and serialised again
      // for latest.json rather than kept whole in memory or copied (CopyObject would need read
      // access to the reports).
      const jsonUri = await put(keys.json, jsonChunks(report), JSON_TYPE);
      const markdownUri = await put(keys.markdown, slices(markdown), MARKDOWN_TYPE);
      const htmlUri =
        html === undefined ? undefined : await put(keys.html, slices(html), HTML_TYPE);
      const summaryUri = await put(keys.summary, [summary], JSON_TYPE);
      const latestUri = await put(keys.latest, jsonChunks(report), JSON_TYPE);
      return {
        runId,
        json: jsonUri,
        markdown: markdownUri,
        ...(htmlUri ? { html: htmlUri } : {}),
        summary: summaryUri,
        latest: latestUri,
      };
    },

    async recentSummaries(accountId, limit) {
      if (limit <= 0) return [];
      const prefix = summariesPrefix(accountId);
      // Keys come in ascending order, and run ids sort by start time (location.ts): the last
      // `limit` keys listed are the newest runs. A few hundred keys at most (reports expire after
      // reportRetentionDays), 1,000 a page.
      let keys: string[] = [];
      const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix });
      for await (const page of guarded("ListObjectsV2", pages, (p) => p.NextContinuationToken)) {
        for (const o of page.Contents ?? []) {
          if (o.Key?.endsWith(".summary.json")) keys.push(o.Key);
        }
        keys = keys.slice(-limit);
      }
      const out: RunSummary[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i += SUMMARY_READS_AT_ONCE) {
        await Promise.all(
          keys.slice(i, i + SUMMARY_READS_AT_ONCE).map(async (key, j) => {
            const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            out[i + j] = JSON.parse((await r.Body?.transformToString("utf-8")) ?? "null");
          }),
        );
      }
      return out;
    },
  };
}
