/**
 * The report link: a Lambda function URL (auth NONE) that serves a run's HTML report from the
 * private report bucket to whoever holds an unexpired link from the alert email. The HMAC
 * signature in the link is the authorization: it is checked (constant time, then the expiry)
 * before anything is read, and a refusal says nothing about why (docs/report.md#the-report-link).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { createLinkKey, createReportHtmlReader } from "../shared/aws/report-link";
import { ConfigError, describeError } from "../shared/errors";
import { CONTENT_SECURITY_POLICY } from "../shared/report/html";
import { checkReportLink } from "../shared/report/link";

const logger = new Logger({ serviceName: "lightsail-auditor" });

export interface LinkDeps {
  key: () => Promise<Uint8Array>;
  readHtml: (accountId: string, runId: string) => Promise<string | undefined>;
  now: () => Date;
}

/** Sent with every answer: nothing cached on the way, framed, sniffed or given a referrer. */
const COMMON = {
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const TEXT: Record<number, string> = {
  403: "This report link is not valid, or it has expired. The next alert email carries a new one.",
  404: "Not found.",
  405: "Only GET and HEAD.",
  503: "The report cannot be shown right now. Try again later.",
};

function refuse(status: number, extra: Record<string, string> = {}): LambdaFunctionURLResult {
  return {
    statusCode: status,
    headers: {
      ...COMMON,
      "content-type": "text/plain; charset=utf-8",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      ...extra,
    },
    body: `${TEXT[status] ?? "Error."}\n`,
  };
}

/**
 * The handler, on its dependencies (the tests give it real adapters against moto).
 *
 * @example
 * const handle = createLinkHandler({ key, readHtml, now: () => new Date() });
 */
export function createLinkHandler(deps: LinkDeps) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const method = event.requestContext?.http?.method ?? "";
    if (method !== "GET" && method !== "HEAD") return refuse(405, { allow: "GET, HEAD" });
    let key: Uint8Array;
    try {
      key = await deps.key();
    } catch (err) {
      logger.error("report link key not read", { error: describeError(err) });
      return refuse(503);
    }
    const query = event.queryStringParameters ?? {};
    const check = checkReportLink({
      path: event.rawPath ?? "",
      exp: query.exp,
      sig: query.sig,
      key,
      now: deps.now(),
    });
    if (!check.ok) {
      logger.info("report link refused", { status: check.status });
      return refuse(check.status);
    }
    let html: string | undefined;
    try {
      html = await deps.readHtml(check.accountId, check.runId);
    } catch (err) {
      logger.error("report not read", { runId: check.runId, error: describeError(err) });
      return refuse(503);
    }
    if (html === undefined) return refuse(404);
    logger.info("report link served", { accountId: check.accountId, runId: check.runId });
    return {
      statusCode: 200,
      headers: {
        ...COMMON,
        "content-type": "text/html; charset=utf-8",
        // The page's own policy, plus what only a header can say: never in a frame.
        "content-security-policy": `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
      },
      body: method === "HEAD" ? "" : html,
    };
  };
}

const bucket = process.env.REPORT_BUCKET;
const secretId = process.env.REPORT_LINK_SECRET;
if (!bucket || !secretId) {
  throw new ConfigError("The report link needs REPORT_BUCKET and REPORT_LINK_SECRET");
}

export const handler = createLinkHandler({
  key: createLinkKey({ secretId }),
  readHtml: createReportHtmlReader({ bucket }),
  now: () => new Date(),
});
