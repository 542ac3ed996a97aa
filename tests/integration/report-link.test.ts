/**
 * The report-link function against moto (S3 and Secrets Manager over HTTP, real SDK clients): a
 * valid link serves the run's HTML with safe headers; an expired, tampered or re-keyed link, a
 * path that tries to leave the run, another method, a missing report: refused with a fixed text
 * that names nothing. The audit function's email carries the link, which then opens the report.
 */

import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reportLink } from "../../shared/report/link";
import { reportKeys } from "../../shared/report/location";
import { type Moto, startMoto } from "../helpers/moto";

const BUCKET = "lightsail-auditor-link-test";
const ACCOUNT = "123456789012";
const RUN = "20261201T060000Z-3fa9c2";
const KEY = "k".repeat(64);
const HTML = "<!DOCTYPE html>\n<title>the report</title>\n";
let moto: Moto;
let secretArn: string;
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client({ region: "us-east-1", endpoint: moto.url, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: reportKeys(ACCOUNT, RUN).html, Body: HTML }),
  );
  // The JSON beside it: a link must never reach it.
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: reportKeys(ACCOUNT, RUN).json, Body: "{}" }),
  );
  const sm = new SecretsManagerClient({ region: "us-east-1", endpoint: moto.url, credentials });
  const created = await sm.send(
    new CreateSecretCommand({ Name: "lightsail-auditor-test-report-link", SecretString: KEY }),
  );
  secretArn = created.ARN ?? "";
}, 60_000);
afterAll(() => moto?.stop());
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The function loaded afresh (it reads its environment and caches its key at cold start). */
async function coldStart() {
  vi.resetModules();
  const env = {
    AWS_ENDPOINT_URL: moto.url,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
    REPORT_BUCKET: BUCKET,
    REPORT_LINK_SECRET: secretArn,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return (await import("../../functions/report-link")).handler;
}

/**
 * A function URL event (payload format 2.0) for `url`, its path as sent: not normalised, so a
 * `..` reaches the function as it would from a client that does not resolve it (curl
 * --path-as-is).
 */
function request(url: string, method = "GET"): LambdaFunctionURLEvent {
  const u = new URL(url);
  const rawPath = /^https:\/\/[^/]+(\/[^?]*)/.exec(url)?.[1] ?? u.pathname;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: u.search.slice(1),
    queryStringParameters: Object.fromEntries(u.searchParams),
    headers: { host: u.host },
    isBase64Encoded: false,
    requestContext: { http: { method, path: rawPath } },
  } as unknown as LambdaFunctionURLEvent;
}

const BASE = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws";
const linkTo = (runId: string, days = 7, key = KEY) =>
  reportLink({
    baseUrl: BASE,
    accountId: ACCOUNT,
    runId,
    expires: new Date(Date.now() + days * 86_400_000),
    key: Buffer.from(key),
  });

const REFUSED = {
  403: "This report link is not valid, or it has expired. The next alert email carries a new one.\n",
  404: "Not found.\n",
} as const;

function expectRefused(r: LambdaFunctionURLResult, status: 403 | 404) {
  if (typeof r === "string") throw new Error("expected a structured result");
  expect(r.statusCode).toBe(status);
  // The same fixed text whatever was wrong: no key, signature, key name, bucket or S3 error.
  expect(r.body).toBe(REFUSED[status]);
  expect(r.headers?.["content-type"]).toBe("text/plain; charset=utf-8");
  expect(r.headers?.["cache-control"]).toBe("private, no-store");
}

describe("the report-link function", () => {
  it("serves the run's HTML for a valid link, with a strict CSP, never cached or framed", async () => {
    const handler = await coldStart();

    const r = await handler(request(linkTo(RUN)));

    if (typeof r === "string") throw new Error("expected a structured result");
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(HTML);
    expect(r.headers).toMatchObject({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "private, no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    });
    expect(r.headers?.["content-security-policy"]).toMatch(
      /^default-src 'none'; .*; frame-ancestors 'none'$/,
    );
    const head = await handler(request(linkTo(RUN), "HEAD"));
    expect(typeof head !== "string" && head.statusCode).toBe(200);
    expect(typeof head !== "string" && head.body).toBe("");
  });

  it("refuses an expired, tampered or re-keyed link with 403, before reading anything", async () => {
    const handler = await coldStart();
    const good = new URL(linkTo(RUN));
    const later = new URL(good);
    later.searchParams.set("exp", String(Number(good.searchParams.get("exp")) + 86_400));
    const tampered = new URL(good);
    tampered.searchParams.set("sig", `${good.searchParams.get("sig")?.slice(0, -1)}A`);
    if (tampered.href === good.href) tampered.searchParams.set("sig", "B".repeat(43));

    for (const bad of [
      linkTo(RUN, -1), // expired yesterday
      later.href, // expiry pushed out
      tampered.href,
      linkTo(RUN, 7, "x".repeat(64)), // signed with another key
      `${BASE}/r/${ACCOUNT}/${RUN}`, // no signature at all
    ]) {
      expectRefused(await handler(request(bad)), 403);
    }
  });

  it.each([
    `/r/${ACCOUNT}/${RUN}.json`,
    `/r/${ACCOUNT}/../${ACCOUNT}/${RUN}`,
    `/r/${ACCOUNT}/%2e%2e/latest`,
    `/r/${ACCOUNT}/${RUN}/`,
    `/reports/${ACCOUNT}/2026/12/01/${RUN}.json`,
    "/r/123456789012/latest",
  ])("refuses a path that tries to reach anything but a run's HTML (%s) with 404", async (path) => {
    const handler = await coldStart();
    const good = new URL(linkTo(RUN));
    expectRefused(await handler(request(`${BASE}${path}${good.search}`)), 404);
  });

  it("refuses the sample event (events/report-link.json: a placeholder signature) with 403", async () => {
    const handler = await coldStart();
    const sample = (await import("../../events/report-link.json")).default;
    expectRefused(await handler(sample as unknown as LambdaFunctionURLEvent), 403);
  });

  it("says 404 for a valid link whose report is gone, and 405 for another method", async () => {
    const handler = await coldStart();
    expectRefused(await handler(request(linkTo("20261130T060000Z-000000"))), 404);
    const post = await handler(request(linkTo(RUN), "POST"));
    expect(typeof post !== "string" && post.statusCode).toBe(405);
    expect(typeof post !== "string" && post.headers?.allow).toBe("GET, HEAD");
  });

  it("revokes every link when the key is rotated (a new cold start; a warm one within 5 minutes)", async () => {
    const link = linkTo(RUN);
    const before = await (await coldStart())(request(link));
    expect(typeof before !== "string" && before.statusCode).toBe(200);
    const sm = new SecretsManagerClient({ region: "us-east-1", endpoint: moto.url, credentials });

    await sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: "n".repeat(64) }));

    try {
      expectRefused(await (await coldStart())(request(link)), 403);
    } finally {
      await sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: KEY }));
    }
  });
});
