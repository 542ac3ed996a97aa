/**
 * The audit Lambda: on the EventBridge schedule and on a manual `osls invoke -f audit`.
 * Returns the JSON report. Config is validated at cold start; the event may narrow one run.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { z } from "zod";
import { runAudit } from "../shared/audit";
import { createAccountReader } from "../shared/aws/reader";
import { type AuditConfig, configFromEnv, parseConfig } from "../shared/config";
import { ConfigError } from "../shared/errors";
import type { AuditReport } from "../shared/model";

const logger = new Logger({ serviceName: "lightsail-auditor" });
const baseConfig = configFromEnv();
const reader = createAccountReader();

/** Manual runs may override settings for one audit; a scheduled event carries none. */
const eventSchema = z.object({
  trigger: z.enum(["schedule", "manual"]).optional(),
  regions: z.union([z.string(), z.array(z.string())]).optional(),
  rootUsageDays: z.union([z.string(), z.number()]).optional(),
  checks: z.union([z.string(), z.array(z.string())]).optional(),
});

export function configForEvent(event: unknown, base: AuditConfig): AuditConfig {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid event field "${issue?.path.join(".")}": ${issue?.message}`);
  }
  const e = parsed.data;
  const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);
  const overrides = parseConfig({
    regions: join(e.regions),
    rootUsageDays: e.rootUsageDays?.toString(),
    checks: join(e.checks),
  });
  return {
    ...base,
    ...(e.regions === undefined ? {} : { regions: overrides.regions }),
    ...(e.rootUsageDays === undefined ? {} : { rootUsageDays: overrides.rootUsageDays }),
    ...(e.checks === undefined ? {} : { checks: overrides.checks }),
  };
}

export const handler = async (event: unknown): Promise<AuditReport> => {
  const config = configForEvent(event, baseConfig);
  const trigger = (event as { trigger?: string } | null)?.trigger ?? "schedule";
  logger.info("audit started", {
    trigger,
    regions: config.regions.length,
    checks: config.checks.length,
  });
  const report = await runAudit({ reader }, config);
  logger.info("audit finished", {
    accountId: report.accountId,
    summary: report.summary,
    skippedRegions: report.regions.skipped,
  });
  for (const f of report.failures) logger.warn("not audited", { ...f });
  return report;
};
