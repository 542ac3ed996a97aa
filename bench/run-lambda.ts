/**
 * One invocation of the audit Lambda's handler in its own process (so its CPU time and peak RSS
 * are the function's alone), configured by its environment as in Lambda: the account from
 * AWS_ENDPOINT_URL, the report bucket, state table and topic from theirs. Prints one JSON line.
 * bench/lambda-path.ts bundles it with esbuild first, as the function is bundled.
 */
import { handler } from "../functions/audit";

async function main() {
  const summary = await handler({ trigger: "manual" });
  const cpu = process.cpuUsage();
  return {
    cpuS: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    summaryBytes: Buffer.byteLength(JSON.stringify(summary)),
    results: summary.summary.total,
    fails: summary.summary.byStatus.FAIL,
    report: summary.report,
    alert: summary.alert,
  };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
