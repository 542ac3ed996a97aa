/**
 * Validates the deploy parameters when the stack is packaged (`osls package`/`deploy`), with the
 * same rules the Lambda applies at cold start, so a bad value fails before anything is deployed
 * and the message names the parameter; a --param name the stack does not know (a typo such as
 * alertemail) fails too, listing the valid ones. Used from serverless.yml as
 * ${file(./shared/stack-params.cjs):...}; returns what the template derives from the parameters
 * (the no-audit alarm's window, from `schedule`).
 */
const { require: requireTs } = require("tsx/cjs/api");

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** An error osls prints as is (it prints the stack when there is one). */
function invalid(param, value, problem) {
  const error = new Error(`Invalid deploy parameter ${param}="${value}": ${problem}`);
  error.stack = error.message;
  return error;
}

/** The names given as --param=<name>=<value> (osls keeps them as the CLI option `param`). */
function givenNames(options) {
  const given = options?.param ?? [];
  return (Array.isArray(given) ? given : [given]).map((item) => String(item).split("=")[0]);
}

/** An unknown --param name fails: osls would silently ignore it (alertemail=, no email). */
function checkNames(options, params) {
  const valid = [...new Set(Object.values(params ?? {}).flatMap((p) => Object.keys(p ?? {})))];
  for (const name of givenNames(options)) {
    if (valid.includes(name)) continue;
    const near = valid.find((v) => v.toLowerCase() === name.toLowerCase() || `${name}s` === v);
    const error = new Error(
      `Unknown deploy parameter "${name}"${near ? ` (did you mean ${near}?)` : ""}. Valid parameters: ${valid.join(", ")}`,
    );
    error.stack = error.message;
    throw error;
  }
}

module.exports = async ({ resolveVariable, resolveConfigurationProperty, options }) => {
  checkNames(options, await resolveConfigurationProperty(["params"]));
  const { CONFIG_KEYS, STACK_PARAMS, settingError } = requireTs("./config.ts", __filename);
  const { auditWindow } = requireTs("./schedule.ts", __filename);
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
  // A link that outlives its report would open a 404: the bucket deletes it first.
  const linkDays = Number(await param("reportLinkDays"));
  const keepDays = Number(await param("reportRetentionDays"));
  if (linkDays > keepDays) {
    throw invalid(
      "reportLinkDays",
      linkDays,
      `must not be more than reportRetentionDays (${keepDays}): the report would be deleted before its link expires`,
    );
  }
  const schedule = await param("schedule");
  const window = auditWindow(String(schedule));
  if ("problem" in window) throw invalid("schedule", schedule, window.problem);
  return { valid: true, auditWindowSeconds: window.seconds };
};
