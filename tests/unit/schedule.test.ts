import { describe, expect, it } from "vitest";
import { auditWindow, scheduleProblem } from "../../shared/schedule";

const DAY = 86_400;

describe("scheduleProblem", () => {
  it.each([
    "cron(0 6 * * ? *)",
    "cron(0/15 * ? * MON-FRI *)",
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(3 days)",
  ])("accepts %s", (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each([
    ["daily", "must be an EventBridge cron(...) or rate(N unit) expression"],
    ["cron(0 6 * * *)", "a cron expression has 6 fields"],
    ["cron(0 6 * * * *)", "exactly one of day-of-month and day-of-week must be ?"],
    ["cron(0 6 ? * ? *)", "exactly one of day-of-month and day-of-week must be ?"],
    ["rate(1 minutes)", "write rate(1 minute): 1 takes a singular unit"],
    ["rate(5 minute)", "write rate(5 minutes): above 1 the unit is plural"],
    ["rate(0 days)", "at least 1"],
    ["rate(1 week)", "unit minute(s), hour(s) or day(s)"],
    ["rate(-1 days)", "rate(N unit)"],
  ])("rejects %s", (expression, problem) => {
    expect(scheduleProblem(expression)).toContain(problem);
  });
});

describe("auditWindow", () => {
  it.each([
    ["rate(30 minutes)", 3600],
    ["rate(6 hours)", 12 * 3600],
    ["rate(1 day)", 2 * DAY],
    ["rate(3 days)", 6 * DAY],
    ["cron(0 6 * * ? *)", 2 * DAY],
    ["cron(0 6,18 ? * * *)", 2 * DAY],
    ["cron(0 6 ? * MON-FRI *)", 6 * DAY],
    ["cron(0 6 ? * 2-6 *)", 6 * DAY],
    ["cron(0 6 ? * FRI-MON *)", 8 * DAY],
    ["cron(0 6 ? * MON-SUN *)", 2 * DAY],
  ])("%s: twice the longest gap between runs", (expression, seconds) => {
    const window = auditWindow(expression);
    if (seconds > 7 * DAY) {
      expect(window).toMatchObject({ problem: expect.stringContaining("at least every 3.5 days") });
    } else {
      expect(window).toEqual({ seconds });
    }
  });

  it.each([
    ["rate(4 days)", "at least every 3.5 days"],
    ["cron(0 6 ? * MON *)", "at least every 3.5 days"],
    ["cron(0 6 1 * ? *)", "needs the schedule's period"],
    ["cron(0 6 ? * 2#1 *)", "needs the schedule's period"],
    ["cron(0 6 * 1-6 ? *)", "needs the schedule's period"],
  ])("%s cannot size the alarm", (expression, problem) => {
    expect(auditWindow(expression)).toMatchObject({ problem: expect.stringContaining(problem) });
  });
});
