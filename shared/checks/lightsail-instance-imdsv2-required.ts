/**
 * One result per instance: FAIL when instance metadata accepts requests without a session token
 * (`metadataOptions.httpTokens` is not `required`), i.e. IMDSv1 is still on.
 *
 * Decision for responses with no `metadataOptions` at all (instances that predate the setting;
 * aws-api-facts.md §1.2): FAIL, saying the setting is not reported. The API's default is
 * `optional`, and `required` is only ever the result of an explicit change, which the response
 * would then carry; so an absent setting is read as the default, not as unknown.
 * PASS when `metadataOptions.httpEndpoint` is `disabled`, whatever httpTokens says: botocore's
 * lightsail InstanceMetadataOptions documents "If the value is disabled, you cannot access your
 * instance metadata", so neither IMDSv1 nor IMDSv2 answers.
 * ERROR for a region whose instances could not be listed.
 */
import { defineCheck, type LightsailInstance, type Outcome } from "../model";
import { eachInstance, instanceRef } from "./lib/resources";

function evaluateInstance(instance: LightsailInstance): Outcome {
  const resource = instanceRef(instance);
  const name = `Instance "${instance.name}"`;
  const tokens = instance.metadataHttpTokens;
  if (instance.metadataHttpEndpoint?.trim().toLowerCase() === "disabled") {
    return {
      status: "PASS",
      resource,
      message: `${name} has its instance metadata service turned off (httpEndpoint = disabled): nothing on it can read instance metadata, with or without a session token.`,
    };
  }
  if (tokens?.trim().toLowerCase() === "required") {
    return {
      status: "PASS",
      resource,
      message: `${name} requires IMDSv2 session tokens for instance metadata (httpTokens = required).`,
    };
  }
  return {
    status: "FAIL",
    resource,
    message:
      tokens === undefined
        ? `${name} does not report its instance metadata settings (no metadataOptions; it predates them), so it runs with the default, httpTokens = optional: metadata, including the instance's credentials, answers requests without a session token (IMDSv1).`
        : `${name} accepts instance metadata requests without a session token (httpTokens = ${tokens}, IMDSv1 still on): a flaw in a plugin that can be made to fetch URLs could read the instance's metadata and credentials.`,
  };
}

export default defineCheck({
  id: "lightsail-instance-imdsv2-required",
  title: "Instance metadata requires IMDSv2 tokens",
  severity: "low",
  cis: ["CIS AWS Foundations v3.0.0 5.6"],
  risk:
    "With IMDSv1 on, any code on the server that can be tricked into fetching a URL (a vulnerable plugin, a server-side request forgery) can read the instance metadata, including temporary credentials. " +
    "IMDSv2 requires a session token obtained with a PUT request, which such tricks cannot send.",
  remediation: {
    summary:
      "Set the instance's metadata option httpTokens to required (IMDSv2 only), after checking that the software on it supports IMDSv2.",
    steps: [
      "Check first: not every Lightsail blueprint supports IMDSv2. In the Lightsail console open Instances > <instance-name> > Metrics and look at MetadataNoToken: it counts requests that still use IMDSv1 and should stay at zero.",
      "Run the AWS CLI command below (from your computer or AWS CloudShell) for the instance.",
      "Run aws lightsail get-instance --region <region> --instance-name <instance-name> --query instance.metadataOptions and wait until state is applied and httpTokens is required; then check the site still works.",
      "If something breaks, set --http-tokens optional again and update that software.",
    ],
    cli: "aws lightsail update-instance-metadata-options --region <region> --instance-name <instance-name> --http-tokens required --http-endpoint enabled",
    console:
      "Lightsail > Instances > <instance-name> > Metrics > MetadataNoToken (the setting itself is changed with the AWS CLI, for example in AWS CloudShell)",
  },
  reads: ["instances"],
  evaluate(snapshot): Outcome[] {
    return eachInstance(
      snapshot,
      "whether their instance metadata requires IMDSv2 is unknown",
      evaluateInstance,
    );
  },
});
