/**
 * Organization mode's orchestration steps, run by the state machine (serverless.yml,
 * OrganizationRun): `{"step":"list"}` lists the accounts to audit (the Map's items) and
 * `{"step":"summarize","runId":...}` builds the organization report and publishes the digest.
 * Each account is audited by the audit function (functions/audit.ts, `{"step":"account",...}`).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { createAlertDeps } from "../shared/aws/alerts";
import { createOrganizationSource } from "../shared/aws/organizations";
import { createRunStore } from "../shared/aws/run-store";
import { configFromEnv } from "../shared/config";
import { ConfigError } from "../shared/errors";
import {
  type ListOutput,
  listStep,
  orgSettingsFromEnv,
  type SummaryOutput,
  summarizeStep,
} from "../shared/org/steps";

const logger = new Logger({ serviceName: "lightsail-auditor" });
const config = configFromEnv();
const settings = orgSettingsFromEnv(process.env);
if (!config.reportBucket) throw new ConfigError("REPORT_BUCKET is not set");
const bucket = config.reportBucket;
const runs = createRunStore({ bucket });
// The digest carries kind=digest and no accountId: the owner's subscriptions receive it.
const alerting = createAlertDeps({ topicArn: config.topicArn }, { kind: "digest" });

export const handler = async (
  event: { step?: string; runId?: string } | null,
): Promise<ListOutput | SummaryOutput> => {
  if (event?.step === "list") {
    const out = await listStep(settings, {
      source:
        settings.selection.accounts === "organization" ? createOrganizationSource() : undefined,
      runs,
      now: () => new Date(),
    });
    logger.info("accounts listed", { runId: out.runId, accounts: out.accounts.length });
    return out;
  }
  if (event?.step === "summarize" && typeof event.runId === "string") {
    const out = await summarizeStep(
      { runId: event.runId },
      {
        runs,
        bucket,
        notifyMode: config.notifyMode,
        publish: alerting.publish,
        now: () => new Date(),
      },
    );
    logger.info("organization report", { ...out });
    return out;
  }
  throw new ConfigError(
    `Invalid event: expected {"step":"list"} or {"step":"summarize","runId":...}`,
  );
};
