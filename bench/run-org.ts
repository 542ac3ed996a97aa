/**
 * The CLI in organization mode in its own process (so its CPU and peak RSS are the auditor's
 * alone), against the endpoint in AWS_ENDPOINT_URL. Arguments are the CLI's. Prints one JSON line
 * after the CLI's output is discarded: wall time, CPU, peak RSS, the exit code, the report totals.
 */
import { main } from "../shared/cli";

async function run() {
  let out = "";
  const started = performance.now();
  const code = await main(process.argv.slice(2), {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    env: process.env,
  });
  const ms = performance.now() - started;
  const usage = process.resourceUsage();
  const report = JSON.parse(out) as { totals: unknown };
  return {
    ms,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMb: usage.maxRSS / 1024,
    code,
    totals: report.totals,
  };
}

run().then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
