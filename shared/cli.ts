/**
 * `lightsail-audit`: the same engine as the Lambda, from a terminal or a CI job.
 * Exit codes: 0 done; 1 bad input or the audit could not run; 2 a FAIL at or above --fail-on;
 * 3 with --fail-on, the audit was incomplete (something could not be checked).
 * `lightsail-audit fix --plan | --apply` and `lightsail-audit undo --change <id>`: the safe fixes
 * (shared/remediation/); exit 1 when something was refused or failed.
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { version } from "../package.json";
import { runAudit } from "./audit";
import { createAlertDeps } from "./aws/alerts";
import { checkEndpointEnv, createAwsClients, homeRegion } from "./aws/clients";
import { missingProfile } from "./aws/profile";
import { createAccountReader } from "./aws/reader";
import { createRemediationDeps } from "./aws/remediation";
import { createSecurityHubImporter, type FindingImporter } from "./aws/security-hub";
import { createPatchCommands } from "./aws/ssm";
import { checkStateTable } from "./aws/state-table";
import { CHECKS } from "./checks/index";
import { checkOutput, type OutputTarget, writeOutput } from "./cli-output";
import type { AccountReader } from "./collect/reader";
import {
  type AuditConfig,
  CLI_TIMEOUT,
  parseConfig,
  type RawConfig,
  rawFromEnv,
  wholeNumberProblem,
} from "./config";
import { AuditorError, ConfigError, CredentialsError, describeError } from "./errors";
import type { FindingState } from "./findings/state";
import { bundledSuppressions, parseSuppressions } from "./findings/suppressions";
import { type AuditReport, atLeast, SEVERITY_ORDER, type Severity } from "./model";
import { type AlertDeps, processAlert } from "./notify/notify";
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEFAULT_ROLE_NAME,
  type OrgFlags,
  runOrganizationCli,
  strayOrgFlags,
  wantsOrganization,
} from "./org/cli";
import { PATCH_WAIT_MS } from "./patching/act";
import type { PatchCommands } from "./patching/runner";
import { applyPlan, type RemediationDeps, withOutcome } from "./remediation/act";
import { undoChange } from "./remediation/undo";
import { FORMATS, type Format, render } from "./report/index";
import { remediationLines } from "./report/remediation";
import { parseReport } from "./report/schema";
import { exportToSecurityHub, withFailures } from "./report/security-hub";
import { summaryLine } from "./report/summary";
import { plain } from "./report/text";

export interface CliIo {
  /** `columns`: the terminal's width, which the table fits (only when `isTTY`). */
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
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
  /** Where `fix --apply` reads its confirmation; without a terminal it needs --yes. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Injected by tests; Lightsail and the state table (--state-table) otherwise. */
  remediation?: Pick<RemediationDeps, "lightsail" | "changes">;
  /** Injected by tests; BatchImportFindings over the real SDK otherwise (--security-hub on). */
  securityHub?: FindingImporter;
}

const EXAMPLES = `
Examples:
  $ lightsail-audit                                  audit every Lightsail region, print a table
  $ lightsail-audit --regions us-east-1,eu-west-2    only these regions (IAM is always audited)
  $ lightsail-audit --format json --output report.json
  $ lightsail-audit --only lightsail-instance-ssh-not-public --fail-on high
                                                     collects only what that check reads; no patching plan
  $ lightsail-audit --patching dry-run --format json   show the patching plan (the default)
  $ lightsail-audit --patching enforce                 run the patching document on opted-in instances
  $ AWS_PROFILE=client-a lightsail-audit --format markdown > audit.md
  $ lightsail-audit --format html --output audit.html  one file to open in a browser
  $ lightsail-audit --format ocsf > findings.jsonl    OCSF 1.8.0 Compliance Findings, one per line
  $ lightsail-audit --security-hub on                 also import the findings into Security Hub
  $ lightsail-audit fix --plan --allowed-ssh-cidrs 203.0.113.7/32   the safe fixes; changes nothing
  $ lightsail-audit fix --apply --allowed-ssh-cidrs 203.0.113.7/32 --state-table <table>
  $ lightsail-audit undo --change 3f9a2c81b7d0 --state-table <table>
  $ lightsail-audit --organization --ou ou-ab12-clients0 --exclude 111122223333
                                                     every ACTIVE account under the OU, via its member role
  $ lightsail-audit --accounts 111122223333,444455556666 --format json --output-dir reports/

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

/** `--timeout`: digits only, like every number in the configuration. */
function seconds(value: string): number {
  const problem = wholeNumberProblem(value, CLI_TIMEOUT.min, CLI_TIMEOUT.max, "seconds");
  if (problem) throw new InvalidArgumentError(`--timeout ${problem}`);
  return Number(value.trim());
}

type Subcommand = "audit" | "fix" | "undo" | "show";

function program(io: CliIo, chosen: { command: Subcommand; options: Record<string, unknown> }) {
  const root = new Command("lightsail-audit")
    .description("Audit an AWS account that runs WordPress on Amazon Lightsail.")
    .addOption(
      new Option("-f, --format <format>", `report format: ${FORMATS.join(", ")}`)
        .argParser(choice("--format", FORMATS))
        .default("table"),
    )
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-r, --regions <list>", "comma-separated Lightsail regions, or all (default: all)")
    .option("--root-usage-days <days>", "root use within this many days fails (default: 90)")
    .option(
      "--only <checkIds>",
      "comma-separated check ids to run (default: all); only the data they read is collected, and patching is off unless --patching is given",
    )
    .option(
      "--patching <mode>",
      "off, dry-run (report the plan) or enforce (default: dry-run; off with --only)",
    )
    .option(
      "--patch-targets <targets>",
      "tagged (instances tagged auto-patch=true) or all (default: tagged)",
    )
    .option(
      "--patch-document <name>",
      "the SSM patching document, by name or ARN (default: lightsail-auditor-prod-enforce-patching)",
    )
    .option(
      "--wordpress-inventory <on|off>",
      "read WordPress core, plugins, themes and wp-config.php through SSM, and start the next inventory (default: on)",
    )
    .option(
      "--wordpress-document <name>",
      "the SSM inventory document, by name or ARN (default: lightsail-auditor-prod-wordpress-inventory)",
    )
    .option(
      "--wordpress-inventory-max-age <seconds>",
      "an inventory older than this is stale: ERROR (default: 172800, twice a daily schedule)",
    )
    .option(
      "--wordpress-org <on|off>",
      "compare versions with wordpress.org's public API (default: on); off: only local settings are judged",
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
    .option(
      "--remediation <mode>",
      "off (default) or dry-run: add the plan of safe fixes to the report (apply it with fix --apply)",
    )
    .option(
      "--allowed-ssh-cidrs <list>",
      "comma-separated addresses the SSH fix restricts SSH to, e.g. 203.0.113.7/32,2001:db8::/48",
    )
    .option(
      "--ip-ranges <on|off|url>",
      "read AWS's ip-ranges.json for the dangling-DNS check: on (default), off (no outbound call), or a copy's URL",
    )
    .option(
      "--security-hub <mode>",
      "off (default) or on: import the findings into the account's Security Hub (AWS_REGION)",
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        `stop collecting after this long; what was not read is ERROR and the report incomplete (default: ${CLI_TIMEOUT.defaultSeconds})`,
      ).argParser(seconds),
    )
    .option(
      "--organization",
      "audit every ACTIVE account of the AWS Organization through its member role (run from the management or a delegated administrator account)",
    )
    .option(
      "--ou <ids>",
      "with --organization: only accounts under these OUs (comma-separated, recursive)",
    )
    .option("--exclude <ids>", "with --organization or --accounts: leave these account ids out")
    .option("--accounts <ids>", "audit these 12-digit account ids through their member role")
    .option("--role-name <name>", `the member role to assume (default: ${DEFAULT_ROLE_NAME})`)
    .option(
      "--account-concurrency <n>",
      `accounts audited at a time (default: ${DEFAULT_ACCOUNT_CONCURRENCY})`,
    )
    .option(
      "--output-dir <dir>",
      "with --organization or --accounts: write each account's JSON report here",
    )
    .option("-v, --verbose", "list passing results too")
    .option("--no-color", "plain text even on a terminal")
    .option("--list-checks", "list the checks and exit")
    .version(version, "-V, --version", "print the version and exit")
    .helpCommand("help [command]", "print the help of the audit, or of a command")
    .addHelpText("after", EXAMPLES)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One prefix for every error, commander's included.
      outputError: (s, write) => write(`lightsail-audit: ${s.replace(/^error: /, "")}`),
    })
    .exitOverride()
    .action(() => {
      chosen.command = "audit";
    });
  // Subcommands inherit the output and exit settings; the audit options work after them too.
  root
    .command("fix")
    .description(
      "audit, then plan the safe fixes (SSH restricted to --allowed-ssh-cidrs, HTTP to HTTPS redirection); --apply makes them",
    )
    .option("--plan", "print the fixes the audit calls for; change nothing")
    .option("--apply", "print the plan, ask, then make the changes, each recorded for undo")
    .option("-y, --yes", "with --apply: do not ask (required without a terminal)")
    // fix takes the audit's options too (--allowed-ssh-cidrs, --state-table, --regions, ...).
    .configureHelp({ showGlobalOptions: true })
    .action((options: Record<string, unknown>) => {
      chosen.command = "fix";
      chosen.options = options;
    });
  root
    .command("undo")
    .description("revert one change made by a fix, exactly, if nothing has changed it since")
    .requiredOption("--change <id>", "the change id (printed by fix --apply and in the alert)")
    // The one audit option undo reads (it is parsed by the main command, so listed here by hand).
    .addHelpText(
      "after",
      `
Also takes:
  --state-table <name>  the DynamoDB table the change was recorded in (or STATE_TABLE; the
                        stack's StateTableName output). Required.`,
    )
    .action((options: Record<string, unknown>) => {
      chosen.command = "undo";
      chosen.options = options;
    });
  root
    .command("show")
    .description(
      "render a stored JSON report (e.g. latest.json from the report bucket) as a table, Markdown, JSON or HTML; audits nothing",
    )
    .argument("<file>", "the report file, or - for standard input")
    .addHelpText(
      "after",
      `
Also takes --format, --output, --verbose and --no-color (see lightsail-audit --help).
Example: aws s3 cp s3://<bucket>/reports/<account>/latest.json - | lightsail-audit show - --format markdown`,
    )
    .action((file: string) => {
      chosen.command = "show";
      chosen.options = { file };
    });
  return root;
}

/** `show <file>`: a stored report (schema 2) rendered like a fresh one; nothing is audited. */
async function show(
  file: string,
  opts: { format: Format; output?: string; verbose?: boolean; color: boolean },
  io: CliIo,
): Promise<number> {
  const source = file === "-" ? "standard input" : file;
  let text: string;
  try {
    text = file === "-" ? await readAll(io.stdin) : await readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read ${source}: ${describeError(err).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source} is not JSON: ${describeError(err).message}`);
  }
  const report = parseReport(json, source);
  const output = opts.output ? await checkOutput(opts.output) : undefined;
  await writeReport(report, { ...opts, output }, io);
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

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

/**
 * Imports the findings into Security Hub in the CLI's region; with a state table, its open
 * findings give the first-seen times and the resolved ones are archived (the table is only read).
 */
async function toSecurityHub(
  report: AuditReport,
  config: AuditConfig,
  io: CliIo,
): Promise<AuditReport> {
  const region = homeRegion(io.env);
  const store = config.stateTable ? (io.alerting ?? createAlertDeps(config)).store : undefined;
  let previous: FindingState[] = [];
  try {
    previous = store ? (await store.load(report.accountId, { migrate: false })).open : [];
  } catch (err) {
    io.stderr.write(
      `State table not read (${plain(describeError(err).message)}): every finding is imported as first seen now.\n`,
    );
  }
  const hub = await exportToSecurityHub(
    io.securityHub ?? createSecurityHubImporter(region),
    report,
    { region, previous, checksRun: config.checks, now: new Date() },
  );
  io.stderr.write(`${plain(hub.line)}\n`);
  return withFailures(report, hub.failures);
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
  opts: { format: Format; output?: OutputTarget; verbose?: boolean; color: boolean },
  io: CliIo,
) {
  const color = opts.color && !opts.output && io.stdout.isTTY === true && !io.env.NO_COLOR;
  // On a terminal the table fits its width; in a pipe or a file each finding stays on one line.
  const width = !opts.output && io.stdout.isTTY === true ? io.stdout.columns : undefined;
  const exported = opts.format === "asff" || opts.format === "ocsf";
  const text = render(report, opts.format, {
    color,
    verbose: opts.verbose,
    width,
    // ASFF and OCSF name the region the findings belong to: the CLI's own.
    ...(exported ? { region: homeRegion(io.env) } : {}),
  });
  if (!opts.output) {
    io.stdout.write(text);
    return;
  }
  await writeOutput(opts.output, text);
  io.stderr.write(`Report written to ${opts.output.path}: ${summaryLine(report)}\n`);
}

/** Collects and evaluates (and plans the fixes when `config.remediation` is dry-run). */
async function audit(config: AuditConfig, io: CliIo, deadline: number): Promise<AuditReport> {
  const now = new Date();
  const suppressions = config.suppressionsFile
    ? await readSuppressions(config.suppressionsFile, now)
    : bundledSuppressions(now);
  const progress = io.stderr.isTTY === true;
  const clients = createAwsClients();
  const report = await runAudit(
    {
      reader: io.reader ?? createAccountReader({}, clients),
      deadline,
      suppressions,
      patching: {
        commands: io.patchCommands ?? createPatchCommands(clients),
        homeRegion: homeRegion(io.env),
        // Runs are tracked for 5 minutes (as before --timeout), never past the deadline.
        deadline: Math.min(deadline, Date.now() + (io.patchWaitMs ?? PATCH_WAIT_MS)),
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
  return report;
}

/** One line from `io.stdin` (empty when it ends first). */
async function ask(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  if (!io.stdin) return "";
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) return line.trim();
    return "";
  } finally {
    lines.close();
  }
}

const NEEDS_TABLE = (what: string) =>
  `${what} needs the state table, where every change is recorded so that it can be undone: pass --state-table <name> or set STATE_TABLE (the stack's StateTableName output)`;

/** `fix --plan` and `fix --apply`: the audit, its plan, and (confirmed) the changes. */
async function fix(
  base: AuditConfig,
  options: { plan?: unknown; apply?: unknown; yes?: unknown },
  opts: { format: Format; output?: OutputTarget; deadline: number },
  io: CliIo,
): Promise<number> {
  if (Boolean(options.plan) === Boolean(options.apply)) {
    throw new ConfigError(
      "fix needs exactly one of --plan (show the changes, make none) and --apply (make them)",
    );
  }
  if (options.apply && !base.stateTable) throw new ConfigError(NEEDS_TABLE("fix --apply"));
  if (options.apply && !options.yes && io.stdin?.isTTY !== true) {
    throw new ConfigError(
      "fix --apply asks before changing anything and there is no terminal to ask on: add --yes to apply without asking",
    );
  }
  // The fixes only: patching is at most planned here (never sent), whatever PATCHING says, and
  // no WordPress inventory is started (none of its checks has a fix).
  const patching = base.patching === "enforce" ? "dry-run" : base.patching;
  const report = await audit(
    { ...base, remediation: "dry-run", patching, wordpressInventory: "off" },
    io,
    opts.deadline,
  );
  const plan = report.remediation ?? {
    mode: "dry-run",
    planned: [],
    skipped: [],
    applied: [],
    failed: [],
  };
  const json = opts.format === "json";
  // The plan is read by a person: on stdout, unless stdout carries the JSON report.
  const say = (s: string) => (json ? io.stderr : io.stdout).write(s);
  say(`Lightsail audit of account ${report.accountId}: ${summaryLine(report)}\n\n`);
  // One true headline: --apply has changed nothing yet, and says so without "dry-run".
  const headline = !options.apply
    ? undefined
    : plan.planned.length > 0
      ? "FIXES TO MAKE (nothing changed yet)"
      : "FIXES: nothing to fix automatically; nothing was changed";
  say(`${remediationLines(plan, Number.POSITIVE_INFINITY, { headline }).join("\n")}\n`);
  if (options.plan || plan.planned.length === 0) {
    if (json) await writeReport(report, { ...opts, color: false }, io);
    return 0;
  }

  const n = plan.planned.length;
  if (!options.yes) {
    const answer = await ask(
      io,
      `\nMake ${n === 1 ? "this change" : `these ${n} changes`} in account ${report.accountId}? Type yes to continue: `,
    );
    if (!/^y(es)?$/i.test(answer)) {
      io.stderr.write("Nothing was changed.\n");
      return 1;
    }
  }
  const deps = io.remediation ?? createRemediationDeps(base.stateTable ?? "");
  const done = withOutcome(plan, await applyPlan(plan.planned, deps));
  const applied = { ...report, remediation: done };
  say(
    `\n${remediationLines(
      { ...done, skipped: done.skipped.slice(plan.skipped.length) },
      Number.POSITIVE_INFINITY,
      { stateTable: base.stateTable },
    ).join("\n")}\n`,
  );
  if (json) await writeReport(applied, { ...opts, color: false }, io);
  return done.failed.length > 0 ? 1 : 0;
}

/** `undo --change <id>`: reverts one recorded change, or says why not. */
async function undo(config: AuditConfig, id: string, io: CliIo): Promise<number> {
  if (!config.stateTable) throw new ConfigError(NEEDS_TABLE("undo"));
  const deps = io.remediation ?? createRemediationDeps(config.stateTable);
  const { change, result } = await undoChange(id, deps);
  const where = plain(`${change.resource.region}/${change.resource.name}`);
  io.stdout.write(
    result === "undone"
      ? `Change ${id} undone on ${where}: ${plain(change.summary)} is reverted; the previous ${change.kind === "restrict-ssh" ? "firewall rules are" : "setting is"} back.\n`
      : `Change ${id} on ${where}: already as it was before the change; nothing to do (marked undone).\n`,
  );
  io.stderr.write(
    "Note: if the scheduled audit runs with remediation enforce, it will make this fix again at its next run. To keep things as they are, tag the resource auto-remediate=false or add a suppression for the finding.\n",
  );
  return 0;
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const chosen: { command: Subcommand; options: Record<string, unknown> } = {
    command: "audit",
    options: {},
  };
  const cmd = program(io, chosen);
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
    wordpressInventory?: string;
    wordpressDocument?: string;
    wordpressInventoryMaxAge?: string;
    wordpressOrg?: string;
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
    remediation?: string;
    allowedSshCidrs?: string;
    ipRanges?: string;
    securityHub?: string;
    timeout?: number;
  }>();
  const orgFlags = cmd.opts<OrgFlags>();
  // The whole run's deadline, as the Lambda has one: every remote listing ends by then.
  const deadline = Date.now() + (opts.timeout ?? CLI_TIMEOUT.defaultSeconds) * 1000;

  if (opts.listChecks) {
    const idWidth = Math.max(...CHECKS.map((c) => c.id.length));
    const severityWidth = Math.max(...SEVERITY_ORDER.map((s) => s.length));
    for (const c of CHECKS) {
      io.stdout.write(`${c.id.padEnd(idWidth)}  ${c.severity.padEnd(severityWidth)}  ${c.title}\n`);
    }
    return 0;
  }

  try {
    // A stored report needs no settings, credentials or AWS: nothing in the environment matters.
    if (chosen.command === "show") return await show(String(chosen.options.file), opts, io);
    // An explicitly empty list (an unset shell variable, say) is a mistake, not "all".
    for (const [flag, value, hint] of [
      ["--regions", opts.regions, "audit every region (or pass all)"],
      ["--only", opts.only, "run every check"],
    ] as const) {
      if (value?.split(",").every((s) => s.trim() === "")) {
        throw new ConfigError(`Invalid ${flag}: it is empty; leave it out to ${hint}`);
      }
    }
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
      // With --only, the patching plan (which reads every instance and SSM node) is made only
      // when asked for: `--only iam-root-mfa-enabled` should not scan every region.
      patching: opts.patching ?? (opts.only === undefined ? undefined : "off"),
      patchTargets: opts.patchTargets,
      patchDocument: opts.patchDocument,
      wordpressInventory: opts.wordpressInventory,
      wordpressDocument: opts.wordpressDocument,
      wordpressInventoryMaxAge: opts.wordpressInventoryMaxAge,
      wordpressOrg: opts.wordpressOrg,
      remediation: opts.remediation,
      allowedSshCidrs: opts.allowedSshCidrs,
      ipRanges: opts.ipRanges,
      securityHub: opts.securityHub,
    };
    const config = parseConfig({
      ...rawFromEnv(io.env),
      ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    });
    // A bad endpoint variable, --output or state table fails now, naming it, not after the audit
    // (and its patching and fixes) has run.
    checkEndpointEnv(io.env);
    const writesReport =
      chosen.command === "fix" ||
      (chosen.command === "audit" && !opts.checkSuppressions && !opts.previewAlert);
    const output = opts.output && writesReport ? await checkOutput(opts.output) : undefined;
    const usesTable =
      chosen.command === "undo"
        ? !io.remediation
        : chosen.command === "fix"
          ? Boolean(chosen.options.apply) && !io.remediation
          : Boolean(opts.notify || opts.previewAlert) && !io.alerting;
    if (config.stateTable && usesTable) await checkStateTable(config.stateTable);
    if (wantsOrganization(orgFlags)) {
      const refused = [
        chosen.command !== "audit" && chosen.command,
        opts.notify && "--notify",
        opts.previewAlert && "--preview-alert",
        opts.checkSuppressions && "--check-suppressions",
      ].filter(Boolean);
      if (refused.length > 0) {
        throw new ConfigError(
          `${refused.join(", ")} cannot be used with --organization or --accounts (the deployed stack sends the organization's digest)`,
        );
      }
      const now = new Date();
      const suppressions = config.suppressionsFile
        ? await readSuppressions(config.suppressionsFile, now)
        : bundledSuppressions(now);
      return await runOrganizationCli(
        config,
        orgFlags,
        { format: opts.format, output, failOn: opts.failOn, deadline, suppressions },
        io,
      );
    }
    const stray = strayOrgFlags(orgFlags);
    if (stray.length > 0) {
      throw new ConfigError(`${stray.join(", ")} needs --organization or --accounts`);
    }
    if (chosen.command === "fix") {
      return await fix(config, chosen.options, { format: opts.format, output, deadline }, io);
    }
    if (chosen.command === "undo") return await undo(config, String(chosen.options.change), io);
    if (config.remediation === "enforce") {
      throw new ConfigError(
        "Invalid --remediation (REMEDIATION): enforce makes changes, which the audit command never does: run `lightsail-audit fix --apply` (it shows the plan and asks first), or use --remediation dry-run to see the plan",
      );
    }
    // Sending commands to instances must be asked for on the command line, not inherited from a
    // shell where the Lambda's settings happen to be exported.
    if (config.patching === "enforce" && opts.patching !== "enforce") {
      throw new ConfigError(
        "PATCHING=enforce comes from the environment: the CLI enforces patching only with an explicit --patching enforce",
      );
    }
    if (opts.notify && !config.topicArn) {
      throw new ConfigError("--notify needs a topic: pass --topic-arn or set TOPIC_ARN");
    }
    if (opts.checkSuppressions) {
      // Without a file: the list built into this CLI (shared/suppressions.json when it was built).
      const file = config.suppressionsFile ?? "shared/suppressions.json";
      const list = config.suppressionsFile
        ? await readSuppressions(file, new Date(), true)
        : bundledSuppressions(new Date(), true);
      io.stdout.write(
        `${file}: ${list.length} suppression${list.length === 1 ? "" : "s"}, all valid and current\n`,
      );
      return 0;
    }
    let report = await audit(config, io, deadline);
    if (config.securityHub === "on") report = await toSecurityHub(report, config, io);

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
    if (!opts.previewAlert) await writeReport(report, { ...opts, output }, io);

    if (opts.failOn) {
      const failOn = opts.failOn;
      if (report.results.some((r) => r.status === "FAIL" && atLeast(r.severity, failOn))) return 2;
      if (report.summary.incomplete) return 3;
    }
    return 0;
  } catch (err) {
    if (err instanceof AuditorError) {
      // The SDK says only "no credentials" when AWS_PROFILE names a profile that does not exist.
      const profile =
        err instanceof CredentialsError && err.missing && (await missingProfile(io.env));
      // Messages may quote AWS's errors and the account's names.
      io.stderr.write(`lightsail-audit: ${plain(profile || err.message)}\n`);
    } else {
      const { errorName, message } = describeError(err);
      io.stderr.write(`lightsail-audit: unexpected error: ${plain(`${errorName}: ${message}`)}\n`);
      if (io.env.DEBUG) io.stderr.write(`${(err as Error).stack ?? ""}\n`);
    }
    return 1;
  }
}
