/**
 * `lightsail-audit`: the same engine as the Lambda, from a terminal or a CI job.
 * Exit codes: 0 done; 1 bad input or the audit could not run; 2 a FAIL at or above --fail-on;
 * 3 with --fail-on, the audit was incomplete (something could not be checked).
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { runAudit } from "./audit";
import { createAlertDeps } from "./aws/alerts";
import { createAwsClients, homeRegion } from "./aws/clients";
import { createAccountReader } from "./aws/reader";
import { createPatchCommands } from "./aws/ssm";
import { CHECKS } from "./checks/index";
import type { AccountReader } from "./collect/reader";
import { parseConfig, type RawConfig, rawFromEnv } from "./config";
import { AuditorError, ConfigError, describeError } from "./errors";
import { bundledSuppressions, parseSuppressions } from "./findings/suppressions";
import { type AuditReport, atLeast, SEVERITY_ORDER, type Severity } from "./model";
import { type AlertDeps, processAlert } from "./notify/notify";
import type { PatchCommands } from "./patching/runner";
import { FORMATS, type Format, render } from "./report/index";
import { summaryLine } from "./report/summary";

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Injected by tests; the real SDK reader otherwise. */
  reader?: AccountReader;
  /** Injected by tests; SNS and DynamoDB from the settings otherwise. */
  alerting?: Pick<AlertDeps, "store" | "publish">;
  /** Injected by tests; Run Command over the real SDK otherwise. */
  patchCommands?: PatchCommands;
  /** How long enforcement may wait for results (default 5 minutes). */
  patchWaitMs?: number;
}

const EXAMPLES = `
Examples:
  $ lightsail-audit                                  audit every Lightsail region, print a table
  $ lightsail-audit --regions us-east-1,eu-west-2    only these regions (IAM is always audited)
  $ lightsail-audit --format json --output report.json
  $ lightsail-audit --only lightsail-instance-ssh-not-public --fail-on high
  $ lightsail-audit --patching dry-run --format json   show the patching plan (the default)
  $ lightsail-audit --patching enforce                 run the patching document on opted-in instances
  $ AWS_PROFILE=client-a lightsail-audit --format markdown > audit.md

Credentials and endpoints come from the standard AWS environment (AWS_PROFILE, AWS_REGION,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
Exit codes: 0 done, 1 bad input or audit impossible, 2 a finding at or above --fail-on,
3 with --fail-on: the audit was incomplete.`;

function choice<T extends string>(name: string, values: readonly T[]) {
  return (value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${name} must be one of ${values.join(", ")}`);
  };
}

function program(io: CliIo) {
  return new Command("lightsail-audit")
    .description("Audit an AWS account that runs WordPress on Amazon Lightsail.")
    .addOption(
      new Option("-f, --format <format>", `report format: ${FORMATS.join(", ")}`)
        .argParser(choice("--format", FORMATS))
        .default("table"),
    )
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-r, --regions <list>", "comma-separated Lightsail regions, or all (default: all)")
    .option("--root-usage-days <days>", "root use within this many days fails (default: 90)")
    .option("--only <checkIds>", "comma-separated check ids to run (default: all)")
    .option("--patching <mode>", "off, dry-run (report the plan) or enforce (default: dry-run)")
    .option(
      "--patch-targets <targets>",
      "tagged (instances tagged auto-patch=true) or all (default: tagged)",
    )
    .option(
      "--patch-document <name>",
      "the SSM patching document, by name or ARN (default: lightsail-auditor-prod-enforce-patching)",
    )
    .addOption(
      new Option(
        "--fail-on <severity>",
        `exit 2 if a finding at or above: ${SEVERITY_ORDER.join(", ")}`,
      ).argParser(choice("--fail-on", SEVERITY_ORDER)),
    )
    .option(
      "--suppressions <file>",
      "JSON list of accepted findings (default: shared/suppressions.json)",
    )
    .option(
      "--check-suppressions",
      "validate the suppressions file strictly (a past date is an error) and exit",
    )
    .option("--notify", "publish the alert to the SNS topic (--topic-arn or TOPIC_ARN)")
    .option(
      "--preview-alert",
      "print the alert's subject, email and SMS instead of the report; send nothing",
    )
    .option("--topic-arn <arn>", "SNS topic for --notify")
    .option(
      "--state-table <name>",
      "DynamoDB table of finding state (what is new, what is resolved)",
    )
    .option("--notify-mode <mode>", "on-change (default), always or never")
    .option(
      "--sms-min-severity <severity>",
      "text only for new findings at or above (default: high)",
    )
    .option("--renotify-days <days>", "remind of still-open critical findings after (default: 7)")
    .option("-v, --verbose", "list passing results too")
    .option("--no-color", "plain text even on a terminal")
    .option("--list-checks", "list the checks and exit")
    .addHelpText("after", EXAMPLES)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
}

const BUNDLED_SUPPRESSIONS = fileURLToPath(new URL("./suppressions.json", import.meta.url));

async function readSuppressions(file: string, now: Date, rejectExpired = false) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new ConfigError(
      `--suppressions (SUPPRESSIONS_FILE): cannot read ${file}: ${describeError(err).message}`,
    );
  }
  return parseSuppressions(json, { source: file, now, rejectExpired });
}

/** What each kind of subscriber would receive. */
function renderPreview(subject: string, message: string): string {
  const m = JSON.parse(message) as Record<string, string>;
  return [
    `Subject: ${subject}`,
    "",
    m.email,
    "--- SMS ---",
    m.sms ?? "(none: no new finding at or above the SMS severity)",
    "",
  ].join("\n");
}

async function writeReport(
  report: AuditReport,
  opts: { format: Format; output?: string; verbose?: boolean; color: boolean },
  io: CliIo,
) {
  const color = opts.color && !opts.output && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const text = render(report, opts.format, { color, verbose: opts.verbose });
  if (!opts.output) {
    io.stdout.write(text);
    return;
  }
  // Write then rename: a failed run never leaves a half-written report behind.
  const tmp = `${opts.output}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, opts.output);
  io.stderr.write(`Report written to ${opts.output}: ${summaryLine(report)}\n`);
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  try {
    cmd.parse(argv, { from: "user" });
  } catch (err) {
    // commander has already printed its message (or the help text).
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 1;
  }
  const opts = cmd.opts<{
    format: Format;
    output?: string;
    regions?: string;
    rootUsageDays?: string;
    only?: string;
    patching?: string;
    patchTargets?: string;
    patchDocument?: string;
    failOn?: Severity;
    verbose?: boolean;
    color: boolean;
    listChecks?: boolean;
    suppressions?: string;
    checkSuppressions?: boolean;
    notify?: boolean;
    previewAlert?: boolean;
    topicArn?: string;
    stateTable?: string;
    notifyMode?: string;
    smsMinSeverity?: string;
    renotifyDays?: string;
  }>();

  if (opts.listChecks) {
    for (const c of CHECKS)
      io.stdout.write(`${c.id.padEnd(40)} ${c.severity.padEnd(8)} ${c.title}\n`);
    return 0;
  }

  try {
    // Flags win over the environment; both are validated the same way.
    const flags: RawConfig = {
      regions: opts.regions,
      rootUsageDays: opts.rootUsageDays,
      checks: opts.only,
      topicArn: opts.topicArn,
      stateTable: opts.stateTable,
      notifyMode: opts.notifyMode,
      smsMinSeverity: opts.smsMinSeverity,
      renotifyDays: opts.renotifyDays,
      suppressionsFile: opts.suppressions,
      patching: opts.patching,
      patchTargets: opts.patchTargets,
      patchDocument: opts.patchDocument,
    };
    const config = parseConfig({
      ...rawFromEnv(io.env),
      ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    });
    if (opts.notify && !config.topicArn) {
      throw new ConfigError("--notify needs a topic: pass --topic-arn or set TOPIC_ARN");
    }
    const now = new Date();
    if (opts.checkSuppressions) {
      const file = config.suppressionsFile ?? BUNDLED_SUPPRESSIONS;
      const list = await readSuppressions(file, now, true);
      io.stdout.write(
        `${file}: ${list.length} suppression${list.length === 1 ? "" : "s"}, all valid and current\n`,
      );
      return 0;
    }
    const suppressions = config.suppressionsFile
      ? await readSuppressions(config.suppressionsFile, now)
      : bundledSuppressions(now);
    const progress = io.stderr.isTTY === true;
    const clients = createAwsClients();
    const report = await runAudit(
      {
        reader: io.reader ?? createAccountReader({}, clients),
        suppressions,
        patching: {
          commands: io.patchCommands ?? createPatchCommands(clients),
          homeRegion: homeRegion(io.env),
          ...(io.patchWaitMs === undefined ? {} : { deadline: Date.now() + io.patchWaitMs }),
        },
        onRegionDone: progress
          ? (p) =>
              io.stderr.write(
                `\r\x1b[KScanning Lightsail regions: ${p.done}/${p.total} (${p.region} ${p.outcome})`,
              )
          : undefined,
      },
      config,
    );
    if (progress) io.stderr.write("\r\x1b[K");

    if (opts.notify || opts.previewAlert) {
      const aws = io.alerting ?? createAlertDeps(config);
      const outcome = await processAlert(
        { store: aws.store, publish: opts.notify ? aws.publish : undefined, now: () => new Date() },
        report,
        { ...config, checksRun: config.checks, onDemandHint: "npx lightsail-audit" },
      );
      if (opts.previewAlert)
        io.stdout.write(renderPreview(outcome.alert.subject, outcome.alert.message));
      io.stderr.write(
        outcome.sent
          ? `Alert published (message ${outcome.messageId}): ${outcome.alert.subject}\n`
          : !opts.notify
            ? "Preview only: nothing was sent.\n"
            : `No alert sent: nothing changed since the last run (--notify-mode ${config.notifyMode}).\n`,
      );
    }
    if (!opts.previewAlert) await writeReport(report, opts, io);

    if (opts.failOn) {
      const failOn = opts.failOn;
      if (report.results.some((r) => r.status === "FAIL" && atLeast(r.severity, failOn))) return 2;
      if (report.summary.incomplete) return 3;
    }
    return 0;
  } catch (err) {
    if (err instanceof AuditorError) {
      io.stderr.write(`lightsail-audit: ${err.message}\n`);
    } else {
      const { errorName, message } = describeError(err);
      io.stderr.write(`lightsail-audit: unexpected error: ${errorName}: ${message}\n`);
      if (io.env.DEBUG) io.stderr.write(`${(err as Error).stack ?? ""}\n`);
    }
    return 1;
  }
}
