/**
 * The audit's "I completed" signal for the dead man's switch: one CloudWatch embedded metric
 * format (EMF) log line per successful run, which CloudWatch Logs turns into a metric with no API
 * call and no extra IAM permission. The stack's NoAuditCompletedAlarm watches it (Sum < 1 over
 * twice the schedule's period, missing data breaching), so a broken, deleted or never-triggered
 * audit is heard about. A plain EMF line rather than @aws-lambda-powertools/metrics: one metric
 * does not justify a dependency.
 */

export const AUDIT_METRICS = {
  namespace: "LightsailAuditor",
  /** 1 per audit that produced its report and delivered the alert it owed. */
  completed: "AuditsCompleted",
  /** Dimension: the function's name, so each stage's stack watches its own audits. */
  dimension: "function",
} as const;

/**
 * The EMF line (one JSON object) for one completed audit.
 *
 * @example
 * process.stdout.write(`${auditCompletedLine("lightsail-auditor-prod-audit", new Date())}\n`);
 */
export function auditCompletedLine(functionName: string, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: AUDIT_METRICS.namespace,
          Dimensions: [[AUDIT_METRICS.dimension]],
          Metrics: [{ Name: AUDIT_METRICS.completed, Unit: "Count" }],
        },
      ],
    },
    [AUDIT_METRICS.dimension]: functionName,
    [AUDIT_METRICS.completed]: 1,
  });
}
