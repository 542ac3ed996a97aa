/**
 * Real-time root alert: EventBridge delivers each CloudTrail event of the root user (console
 * sign-in, API call); this sends an email + SMS through the alert topic at once, at most one per
 * 15-minute burst (the state table arbitrates between concurrent invocations).
 */

import { Logger } from "@aws-lambda-powertools/logger";
import { createAlertDeps } from "../shared/aws/alerts";
import { createRateLimiter } from "../shared/aws/rate-limit";
import { configFromEnv } from "../shared/config";
import { ConfigError } from "../shared/errors";
import { alertRootActivity } from "../shared/notify/root-activity";

const logger = new Logger({ serviceName: "lightsail-auditor" });
const config = configFromEnv();
const { publish } = createAlertDeps(config);
if (!publish || !config.stateTable) {
  throw new ConfigError("The root activity function needs TOPIC_ARN and STATE_TABLE");
}
const limiter = createRateLimiter(config.stateTable);

export const handler = async (event: unknown): Promise<{ sent: boolean }> => {
  const { sent, activity } = await alertRootActivity(
    { limiter, publish, now: () => new Date() },
    event,
  );
  logger.warn("root activity", { sent, ...activity });
  return { sent };
};
