/**
 * The audit's EventBridge schedule expression (deploy parameter `schedule`): checked at package
 * time (shared/stack-params.cjs), and its period sizes the "no audit completed" alarm.
 *
 * Sources for the rules:
 * - botocore scheduler 2021-06-30, CreateSchedule ScheduleExpression: "A cron expression consists
 *   of six fields ... (minutes hours day_of_month month day_of_week year)"; "A rate expression
 *   consists of a value as a positive integer, and a unit: minute | minutes | hour | hours | day |
 *   days".
 * - Singular for 1, plural above (rate(1 hours) and rate(5 hour) are invalid): the EventBridge
 *   docs' "Schedule expressions for rules" page, as osls's own schema encodes it
 *   (node_modules/osls/lib/plugins/aws/package/compile/events/schedule.js, rateSyntax).
 * - One of day-of-month and day-of-week must be `?`: the same EventBridge docs page (not checked
 *   against a copy here).
 */

const UNIT_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;
const DAY = 86_400;
/** CloudWatch: Period x EvaluationPeriods at most 604,800 s (botocore PutMetricAlarm, Period). */
export const MAX_ALARM_WINDOW_SECONDS = 7 * DAY;

const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type Parsed = { problem: string } | { periodSeconds: number | undefined };

function parseRate(body: string): Parsed {
  const m = /^(\d+) ([a-z]+)$/.exec(body);
  const unit = m?.[2]?.replace(/s$/, "") as keyof typeof UNIT_SECONDS | undefined;
  if (!m || unit === undefined || !(unit in UNIT_SECONDS)) {
    return { problem: "a rate is rate(N unit), unit minute(s), hour(s) or day(s)" };
  }
  const n = Number(m[1]);
  if (n < 1) return { problem: "the rate's value must be a whole number of at least 1" };
  const plural = m[2]?.endsWith("s");
  if (n === 1 && plural) return { problem: `write rate(1 ${unit}): 1 takes a singular unit` };
  if (n > 1 && !plural) return { problem: `write rate(${n} ${unit}s): above 1 the unit is plural` };
  return { periodSeconds: n * UNIT_SECONDS[unit] };
}

/** Weekday numbers (0 = SUN) a day-of-week field selects; undefined when beyond simple lists. */
function weekdays(field: string): number[] | undefined {
  const day = (t: string) => {
    const i = /^[1-7]$/.test(t) ? Number(t) - 1 : WEEKDAYS.indexOf(t.toUpperCase());
    return i < 0 ? undefined : i;
  };
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const [a, b] = item.split("-");
    const from = day(a ?? "");
    const to = b === undefined ? from : day(b);
    if (from === undefined || to === undefined || item.split("-").length > 2) return undefined;
    // A range may wrap past Saturday (FRI-MON).
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out].sort((x, y) => x - y);
}

function parseCron(body: string): Parsed {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return {
      problem: `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`,
    };
  }
  const [, , dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    return { problem: "exactly one of day-of-month and day-of-week must be ?" };
  }
  // The period, for the no-audit alarm: the longest gap between runs, counted in whole days.
  // Known only for daily and weekday schedules (every month, every year); else undefined.
  const every = (f: string) => f === "*" || f === "?";
  if (!every(month) || !every(year) || !every(dayOfMonth)) return { periodSeconds: undefined };
  if (every(dayOfWeek)) return { periodSeconds: DAY };
  const days = weekdays(dayOfWeek);
  if (days === undefined || days.length === 0) return { periodSeconds: undefined };
  const gaps = days.map((d, i) => ((days[(i + 1) % days.length] ?? d) - d + 7) % 7 || 7);
  return { periodSeconds: Math.max(...gaps) * DAY };
}

function parse(expression: string): Parsed {
  const m = /^(rate|cron)\((.*)\)$/.exec(expression.trim());
  if (!m) return { problem: "must be an EventBridge cron(...) or rate(N unit) expression" };
  const parsed = m[1] === "rate" ? parseRate(m[2] ?? "") : parseCron(m[2] ?? "");
  if ("problem" in parsed) {
    return {
      problem: `must be an EventBridge cron(...) or rate(N unit) expression: ${parsed.problem}`,
    };
  }
  return parsed;
}

/**
 * The problem with a schedule expression, or undefined when it is valid.
 *
 * @example
 * scheduleProblem("rate(1 days)") // "must be an EventBridge ... expression: write rate(1 day): ..."
 */
export function scheduleProblem(expression: string): string | undefined {
  const parsed = parse(expression);
  return "problem" in parsed ? parsed.problem : undefined;
}

/**
 * How long the "no audit completed" alarm waits: twice the schedule's period, in seconds.
 * rate(N unit): 2 x N units. cron: 2 x the longest gap between runs, for daily schedules (every
 * day-of-month, month and year: 2 days) and weekday ones (e.g. MON-FRI: the weekend's 3 days, so
 * 6 days). Other cron schedules (days of the month, some months) and windows above CloudWatch's
 * 7 days give a problem instead: the alarm cannot be sized, so the stack refuses to package.
 */
export function auditWindow(expression: string): { seconds: number } | { problem: string } {
  const parsed = parse(expression);
  if ("problem" in parsed) return parsed;
  if (parsed.periodSeconds === undefined) {
    return {
      problem:
        "the no-audit alarm needs the schedule's period, known for rate(...) and for cron schedules that run every day or on set weekdays (day-of-month, month and year * or ?): use one of those",
    };
  }
  const seconds = 2 * parsed.periodSeconds;
  if (seconds > MAX_ALARM_WINDOW_SECONDS) {
    return {
      problem: `the audit must run at least every 3.5 days: the no-audit alarm waits twice the schedule's period, and CloudWatch alarms look back at most 7 days`,
    };
  }
  return { seconds };
}
