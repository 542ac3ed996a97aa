/**
 * Validates the deploy parameters when the stack is packaged (`osls package`/`deploy`), with the
 * same rules the Lambda applies at cold start, so a bad value fails before anything is deployed
 * and the message names the parameter. Used from serverless.yml as ${file(./shared/stack-params.cjs)}.
 */
const { require: requireTs } = require("tsx/cjs/api");

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const SCHEDULE = /^(cron\([^)]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;

/** An error osls prints as is (it prints the stack when there is one). */
function invalid(param, value, problem) {
  const error = new Error(`Invalid deploy parameter ${param}="${value}": ${problem}`);
  error.stack = error.message;
  return error;
}

module.exports = async ({ resolveVariable }) => {
  const { CONFIG_KEYS, STACK_PARAMS, settingError } = requireTs("./config.ts", __filename);
  const param = (name) => resolveVariable(`param:${name}`);
  for (const [key, names] of Object.entries(CONFIG_KEYS)) {
    if (!names.param) continue;
    const value = await param(names.param);
    const problem = settingError(key, String(value));
    if (problem) throw invalid(names.param, value, problem);
  }
  for (const [name, problemWith] of Object.entries(STACK_PARAMS)) {
    const value = await param(name);
    const problem = problemWith(String(value));
    if (problem) throw invalid(name, value, problem);
  }
  const email = await param("alertEmail");
  if (email && !EMAIL.test(email))
    throw invalid("alertEmail", email, "must be an email address, or empty for none");
  const phone = await param("alertPhone");
  if (phone && !E164.test(phone)) {
    throw invalid(
      "alertPhone",
      phone,
      "must be an E.164 number such as +14155550100, or empty for none",
    );
  }
  const schedule = await param("schedule");
  if (!SCHEDULE.test(schedule)) {
    throw invalid(
      "schedule",
      schedule,
      "must be an EventBridge cron(...) or rate(N unit) expression",
    );
  }
  return "valid";
};
