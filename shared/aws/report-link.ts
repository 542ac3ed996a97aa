/**
 * The report link's AWS side: its HMAC key, read from Secrets Manager (the stack generates it),
 * and a run's HTML report, read from the report bucket. Used by the audit function (the key, to
 * sign the link it emails) and by the report-link function (both, to serve it).
 */

import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describeError } from "../errors";
import { reportKeys } from "../report/location";
import { createRequestHandler, homeRegion } from "./clients";

/** Reads the key: granted on the stack's one secret (ReportLinkKey). */
export const LINK_KEY_ACTIONS = ["secretsmanager:GetSecretValue"] as const;
/** Reads a run's HTML: granted on `reports/*.html` only, never the JSON, Markdown or summaries. */
export const REPORT_HTML_READ_ACTIONS = ["s3:GetObject"] as const;

/** Fewer characters than this is not a key we generated (the stack makes 64). */
const MIN_KEY_CHARS = 32;
/**
 * A key is kept this long, then read again: after the secret is rotated (see docs/report.md),
 * old links stop working within five minutes even in a warm function.
 */
const KEY_TTL_MS = 5 * 60_000;

/**
 * The HMAC key as bytes, cached for {@link KEY_TTL_MS}. GetSecretValue returns `SecretString` or
 * `SecretBinary` (botocore secretsmanager 2017-10-17 GetSecretValueResponse); the stack's secret
 * is a generated string. Throws when the secret cannot be read or is too short to be a key.
 *
 * @example
 * const key = createLinkKey({ secretId: process.env.REPORT_LINK_SECRET });
 * const link = reportLink({ ..., key: await key() });
 */
export function createLinkKey(options: {
  secretId: string;
  client?: SecretsManagerClient;
  now?: () => number;
}): () => Promise<Uint8Array> {
  const client =
    options.client ??
    new SecretsManagerClient({ region: homeRegion(), requestHandler: createRequestHandler() });
  const now = options.now ?? Date.now;
  let cached: { key: Uint8Array; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < KEY_TTL_MS) return cached.key;
    const out = await client.send(new GetSecretValueCommand({ SecretId: options.secretId }));
    const key = out.SecretString
      ? Buffer.from(out.SecretString, "utf8")
      : out.SecretBinary
        ? Buffer.from(out.SecretBinary)
        : undefined;
    if (!key || key.length < MIN_KEY_CHARS) {
      throw new Error(
        `The report link key ${options.secretId} holds fewer than ${MIN_KEY_CHARS} bytes: not a key`,
      );
    }
    cached = { key, at: now() };
    return key;
  };
}

/**
 * A run's HTML report, or undefined when there is none (expired by the bucket's lifecycle rule,
 * or never written). Any other error is thrown.
 */
export function createReportHtmlReader(options: {
  bucket: string;
  client?: S3Client;
}): (accountId: string, runId: string) => Promise<string | undefined> {
  const client =
    options.client ??
    new S3Client({ region: homeRegion(), requestHandler: createRequestHandler() });
  return async (accountId, runId) => {
    try {
      const out = await client.send(
        new GetObjectCommand({ Bucket: options.bucket, Key: reportKeys(accountId, runId).html }),
      );
      return (await out.Body?.transformToString("utf-8")) ?? "";
    } catch (err) {
      if (describeError(err).errorName === "NoSuchKey") return undefined;
      throw err;
    }
  };
}
