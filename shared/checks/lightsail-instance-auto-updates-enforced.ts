/**
 * One result per instance that is opted in to patching (tag `auto-patch=true`, or patch targets
 * `all`) or that has a run of the patching document in SSM's history. The latest finished run
 * decides: PASS when it succeeded with no error and no drift (a pending reboot and waiting
 * security updates are reported); FAIL when it failed, timed out, printed no readable result, or
 * reports drift; FAIL when an opted-in instance has no run at all (or cannot be reached). The runs
 * are those of earlier audits: this audit's own run counts from the next one.
 */
import type { AccountSnapshot, CheckContext, LightsailInstance, PatchRun } from "../model";
import { defineCheck, type Outcome } from "../model";
import { PATCH_HISTORY_DAYS } from "../patching/result";
import {
  describeNode,
  instanceKey,
  isOptedIn,
  matchEvidence,
  type NodeMatch,
  snapshotMatches,
} from "../patching/targets";
import { eachInstance, formatUtc, instanceRef, joinList } from "./lib/resources";

const REBOOT = "Unattended-Upgrade::Automatic-Reboot";
const REBOOT_TIME = "Unattended-Upgrade::Automatic-Reboot-Time";

function at(run: PatchRun): string {
  return run.requestedAt ? formatUtc(run.requestedAt) : "time unknown";
}

/** The verdict of the latest finished run. */
function judgeRun(name: string, run: PatchRun): Pick<Outcome, "status" | "message"> {
  const ran = `The last enforcement on ${name} (command ${run.commandId}, ${at(run)})`;
  const result = run.result;
  if (run.status !== "Success") {
    const how =
      run.status === "TimedOut"
        ? "timed out"
        : run.status === "Cancelled"
          ? "was cancelled"
          : "failed";
    const details = [
      run.statusDetails && run.statusDetails !== run.status ? run.statusDetails : "",
      run.responseCode !== undefined && run.responseCode >= 0
        ? `exit code ${run.responseCode}`
        : "",
    ].filter(Boolean);
    const errors = result && result.errors.length > 0 ? `: ${result.errors.join("; ")}` : "";
    const drift = result && result.drift.length > 0 ? `; drift: ${result.drift.join("; ")}` : "";
    return {
      status: "FAIL",
      message: `${ran} ${how}${details.length > 0 ? ` (${details.join(", ")})` : ""}${errors}${drift}.`,
    };
  }
  if (!result) {
    return {
      status: "FAIL",
      message: `${ran} finished, but ${run.resultError ?? "printed no result"}.`,
    };
  }
  if (result.errors.length > 0) {
    return { status: "FAIL", message: `${ran} reported errors: ${result.errors.join("; ")}.` };
  }
  if (result.drift.length > 0) {
    return {
      status: "FAIL",
      message: `${ran} reports drift, so automatic updates do not run as enforced: ${result.drift.join("; ")}. Remove or fix the apt configuration file that overrides these values.`,
    };
  }
  const notes: string[] = [];
  if (result.rebootRequired) {
    notes.push(
      result.settings[REBOOT] === "true"
        ? `A reboot is pending; it happens automatically at ${result.settings[REBOOT_TIME] || "the configured time"}.`
        : "A reboot is pending and automatic reboot is off: reboot the instance at a quiet hour.",
    );
  }
  if (result.pendingSecurityUpdates) {
    notes.push(
      `${result.pendingSecurityUpdates} security update(s) were waiting for the next daily run.`,
    );
  }
  return {
    status: "PASS",
    message: `Automatic updates are enforced on ${name}: the last run (${at(run)}) ${result.changed.length === 0 ? "found everything in place" : `put ${joinList(result.changed)} back in place`}, with no drift.${notes.length > 0 ? ` ${notes.join(" ")}` : ""}`,
  };
}

/** Why an opted-in instance cannot be enforced at all. */
function unreachable(match: NodeMatch): string | undefined {
  if (match.kind === "none")
    return "it is not managed by Systems Manager (no managed node maps to it)";
  if (match.kind === "conflict") {
    return `${joinList(match.nodes.map(describeNode))} all claim it, and the auditor does not guess`;
  }
  if (match.by === "ip") {
    return `only node ${describeNode(match.node)} shares its private IP address, a weak match the auditor never acts on: tag the node`;
  }
  return undefined;
}

function modeHint(ctx: CheckContext): string {
  if (ctx.patching.mode === "enforce") {
    return " The auditor is in enforce mode: the report's patching plan says why it was not sent (this audit's own run counts from the next audit).";
  }
  return ` Patching is in ${ctx.patching.mode} mode: set PATCHING=enforce on the Lambda function (or pass --patching enforce) to run it.`;
}

function evaluateInstance(
  snapshot: AccountSnapshot,
  ctx: CheckContext,
  instance: LightsailInstance,
  match: NodeMatch,
  unknownNodeRegions: string[],
): Outcome[] {
  const resource = instanceRef(instance);
  const name = `instance "${instance.name}"`;
  const optedIn = isOptedIn(instance, ctx.patching.targets);
  if (match.kind !== "matched" || match.by === "ip") {
    if (!optedIn) return [];
    if (match.kind === "none" && unknownNodeRegions.length > 0) {
      return [
        {
          status: "ERROR",
          resource,
          message: `The ${name} is opted in to automatic patching, but the managed nodes of ${joinList(unknownNodeRegions)} could not be listed, so whether it is enforced is unknown.`,
        },
      ];
    }
    return [
      {
        status: "FAIL",
        resource,
        message: `The ${name} is opted in to automatic patching, but it cannot be enforced: ${unreachable(match)}. See lightsail-instance-ssm-managed.`,
      },
    ];
  }
  const node = match.node;
  const runs = snapshot.lightsail.find((r) => r.region === node.region)?.patchRuns ?? null;
  if (runs === null) {
    return optedIn
      ? [
          {
            status: "ERROR",
            resource,
            message: `The command history of ${node.region} could not be read, so whether automatic updates are enforced on ${name} (node ${describeNode(node)}) is unknown.`,
          },
        ]
      : [];
  }
  const run = runs.find((r) => r.instanceId === node.instanceId);
  if (run) return [{ ...judgeRun(name, run), resource }];
  if (!optedIn) return [];
  return [
    {
      status: "FAIL",
      resource,
      message: `The ${name} is opted in to automatic patching, but the document ${ctx.patching.documentName} has not run on its node ${describeNode(node)} (matched by ${matchEvidence(match.by)}) in the last ${PATCH_HISTORY_DAYS} days.${modeHint(ctx)}`,
    },
  ];
}

export default defineCheck({
  id: "lightsail-instance-auto-updates-enforced",
  title: "Automatic security updates are enforced on the instance",
  severity: "medium",
  risk:
    "Most WordPress servers are taken over through known, already-fixed vulnerabilities. Without unattended upgrades the OS packages (OpenSSL, the kernel, libc) stay vulnerable until someone logs in to update them, " +
    "and a half-configured setup (a typo in the apt configuration, curly quotes from a guide) silently does nothing.",
  remediation: {
    summary:
      "Opt the instance in (tag auto-patch=true), register it with Systems Manager, and let the auditor enforce the configuration (PATCHING=enforce); fix what the last run reported.",
    steps: [
      "Tag the instance auto-patch=true in the Lightsail console (Instances > <instance-name> > Tags), or set patch targets to all.",
      "Make sure it is managed by Systems Manager (see lightsail-instance-ssm-managed).",
      'Review the dry-run plan in the report, then deploy with --param="patching=enforce" (or run the CLI with --patching enforce).',
      "If the last run failed, read its output: aws ssm get-command-invocation --region <region> --command-id <command-id> --instance-id <mi-id>.",
      "If it reports drift, remove or fix the apt.conf.d file that overrides the auditor's 90lightsail-auditor-* files.",
    ],
    cli: "aws ssm list-command-invocations --region <region> --instance-id <mi-id> --filters key=DocumentName,value=<document-name> --details",
    console: "Systems Manager > Run Command > Command history",
  },
  reads: ["instances", "managedNodes", "patchRuns"],
  evaluate(snapshot, ctx): Outcome[] {
    const { matches, unknownNodeRegions } = snapshotMatches(snapshot);
    return eachInstance(
      snapshot,
      "whether automatic updates are enforced on them is unknown",
      (instance) =>
        evaluateInstance(
          snapshot,
          ctx,
          instance,
          matches.get(instanceKey(instance)) ?? { kind: "none" },
          unknownNodeRegions,
        ),
    );
  },
});
