/**
 * Organization mode's part of the template, computed at package time from the deploy parameters
 * (serverless.yml: ${file(./shared/org/stack.cjs):...}):
 * - `definition`: the state machine's DefinitionString (shared/org/state-machine.ts), as an
 *   Fn::Join whose function ARNs are GetAtt references, with maxConcurrency written in.
 * The parameters themselves are checked by shared/stack-params.cjs (STACK_PARAMS).
 */
const { require: requireTs } = require("tsx/cjs/api");

const ORG = "__ORGANIZATION_FUNCTION__";
const AUDIT = "__AUDIT_FUNCTION__";

module.exports = async ({ resolveVariable }) => {
  const { stateMachineDefinition } = requireTs("./state-machine.ts", __filename);
  const maxConcurrency = Number(await resolveVariable("param:maxConcurrency"));
  const text = JSON.stringify(
    stateMachineDefinition({ organizationFunction: ORG, auditFunction: AUDIT, maxConcurrency }),
  );
  const parts = [];
  for (const piece of text.split(new RegExp(`(${ORG}|${AUDIT})`))) {
    if (piece === ORG) parts.push({ "Fn::GetAtt": ["OrganizationLambdaFunction", "Arn"] });
    else if (piece === AUDIT) parts.push({ "Fn::GetAtt": ["AuditLambdaFunction", "Arn"] });
    else if (piece !== "") parts.push(piece);
  }
  return { definition: { "Fn::Join": ["", parts] } };
};
