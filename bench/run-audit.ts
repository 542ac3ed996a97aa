/**
 * One audit in its own process (so its peak RSS is the auditor's alone), against the endpoint in
 * AWS_ENDPOINT_URL. Prints one JSON line: wall time, peak RSS, result and failure counts.
 * bench/audit-scale.ts bundles it with esbuild first, as the Lambda is, and runs it with plain node.
 */
import { runAudit } from "../shared/audit";
import { createAccountReader } from "../shared/aws/reader";
import { parseConfig, rawFromEnv } from "../shared/config";

async function main() {
  const started = performance.now();
  const report = await runAudit({ reader: createAccountReader() }, parseConfig(rawFromEnv()));
  const ms = performance.now() - started;
  return {
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    results: report.results.length,
    fails: report.summary.byStatus.FAIL,
    failures: report.failures.length,
  };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
