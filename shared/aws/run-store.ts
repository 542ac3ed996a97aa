/**
 * S3 adapter for an organization run's small objects in the report bucket, under
 * `reports/organization-runs/<runId>/` (inside reports/, so the audit role's existing grant covers
 * each account's entry and the bucket's retention rule expires them with the reports):
 * the account list, each account's entry, the organization report. Entries are a few kilobytes
 * each, so a 1,000-account run reads 1,000 small objects, never the accounts' reports.
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { createRequestHandler, homeRegion } from "./clients";
import { guarded } from "./pages";

/** Every run object is under this prefix: the IAM grants name it. No account id looks like it. */
export const RUNS_PREFIX = "reports/organization-runs/";

/** Writing the run's objects (list step, summary); on the prefix only. */
export const RUN_WRITE_ACTIONS = ["s3:PutObject"] as const;
/** Reading them back (the summary step): GetObject on the prefix, ListBucket with it. */
export const RUN_READ_ACTIONS = ["s3:GetObject", "s3:ListBucket"] as const;

export interface RunStore {
  put(key: string, body: string, contentType?: string): Promise<void>;
  getJson<T>(key: string): Promise<T | undefined>;
  /** Keys under `prefix`, all pages. */
  list(prefix: string): Promise<string[]>;
}

export function createRunStore(options: { bucket: string; client?: S3Client }): RunStore {
  const client =
    options.client ??
    new S3Client({ region: homeRegion(), requestHandler: createRequestHandler() });
  const Bucket = options.bucket;
  return {
    async put(key, body, contentType = "application/json") {
      await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
    async getJson<T>(key: string) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return JSON.parse((await out.Body?.transformToString()) ?? "null") as T;
      } catch (err) {
        if ((err as Error).name === "NoSuchKey") return undefined;
        throw err;
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      const pages = paginateListObjectsV2({ client }, { Bucket, Prefix: prefix });
      for await (const page of guarded("ListObjectsV2", pages, (p) => p.NextContinuationToken)) {
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      }
      return keys;
    },
  };
}
