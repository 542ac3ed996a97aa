/**
 * `lightsail-audit`: the same engine as the Lambda, from a terminal or a CI job.
 * Exit codes: 0 done; 1 bad input or the audit could not run; 2 a FAIL at or above --fail-on;
 * 3 with --fail-on, the audit was incomplete (something could not be checked).
 */
import { rename, writeFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { runAudit } from "./audit";
import { createAccountReader } from "./aws/reader";
import { CHECKS } from "./checks/index";
import type { AccountReader } from "./collect/reader";
import { parseConfig } from "./config";
import { AuditorError, describeError } from "./errors";
import { atLeast, SEVERITY_ORDER, type Severity } from "./model";
import { FORMATS, type Format, render } from "./report/index";
import { summaryLine } from "./report/summary";

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Injected by tests; the real SDK reader otherwise. */
  reader?: AccountReader;
}

const EXAMPLES = `
Examples:
  $ lightsail-audit                                  audit every Lightsail region, print a table
  $ lightsail-audit --regions us-east-1,eu-west-2    only these regions (IAM is always audited)
  $ lightsail-audit --format json --output report.json
  $ lightsail-audit --only lightsail-instance-ssh-not-public --fail-on high
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
    .addOption(
      new Option(
        "--fail-on <severity>",
        `exit 2 if a finding at or above: ${SEVERITY_ORDER.join(", ")}`,
      ).argParser(choice("--fail-on", SEVERITY_ORDER)),
    )
    .option("-v, --verbose", "list passing results too")
    .option("--no-color", "plain text even on a terminal")
    .option("--list-checks", "list the checks and exit")
    .addHelpText("after", EXAMPLES)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
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
    failOn?: Severity;
    verbose?: boolean;
    color: boolean;
    listChecks?: boolean;
  }>();

  if (opts.listChecks) {
    for (const c of CHECKS)
      io.stdout.write(`${c.id.padEnd(40)} ${c.severity.padEnd(8)} ${c.title}\n`);
    return 0;
  }

  try {
    const config = parseConfig({
      regions: opts.regions,
      rootUsageDays: opts.rootUsageDays,
      checks: opts.only,
    });
    const progress = io.stderr.isTTY === true;
    const report = await runAudit(
      {
        reader: io.reader ?? createAccountReader(),
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

    const color = opts.color && !opts.output && io.stdout.isTTY === true && !io.env.NO_COLOR;
    const text = render(report, opts.format, { color, verbose: opts.verbose });
    if (opts.output) {
      // Write then rename: a failed run never leaves a half-written report behind.
      const tmp = `${opts.output}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, opts.output);
      io.stderr.write(`Report written to ${opts.output}: ${summaryLine(report)}\n`);
    } else {
      io.stdout.write(text);
    }

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
