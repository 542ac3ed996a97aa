/**
 * What the stack's two SSM Command documents (schema 2.2, one `aws:runShellScript` step) share:
 * reading a script safely, the step's parameter assignments, and the document around the step.
 * Used by shared/patching/document.cjs and shared/wordpress/document.cjs, each from its own
 * document-spec.json. Never loaded by the Lambda bundle: it reads files.
 */
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

/** A script's lines, without the final newline. SSM would substitute `{{ ... }}` in them. */
function scriptLines(dir, name) {
  const text = readFileSync(join(dir, name), "utf8");
  if (text.includes("{{")) throw new Error(`${name} contains "{{", which SSM reads as a parameter`);
  return text.replace(/\n$/, "").split("\n");
}

/**
 * The shell lines that hand the document's parameters to the script: one assignment per
 * parameter with an `env`, then one export. Each allowedPattern admits no quote, so single quotes
 * keep the value one word.
 */
function parameterLines(spec) {
  const assigned = Object.entries(spec.parameters).filter(([, p]) => p.env);
  return [
    ...assigned.map(([name, p]) => `${p.env}='{{ ${name} }}'`),
    `export ${assigned.map(([, p]) => p.env).join(" ")}`,
  ];
}

/** The document content, as CloudFormation's AWS::SSM::Document `Content` (and CreateDocument) take it. */
function commandDocument(spec, runCommand) {
  const parameters = {};
  for (const [name, p] of Object.entries(spec.parameters)) {
    parameters[name] = {
      type: "String",
      description: p.description,
      default: p.default,
      ...(p.allowedValues ? { allowedValues: p.allowedValues } : {}),
      ...(p.allowedPattern ? { allowedPattern: p.allowedPattern } : {}),
    };
  }
  return {
    schemaVersion: "2.2",
    description: spec.description,
    parameters,
    mainSteps: [
      {
        action: "aws:runShellScript",
        name: spec.stepName,
        precondition: { StringEquals: ["platformType", "Linux"] },
        inputs: { timeoutSeconds: "{{ executionTimeout }}", runCommand },
      },
    ],
  };
}

module.exports = { scriptLines, parameterLines, commandDocument };
