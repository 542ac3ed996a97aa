/**
 * One audit in its own process (so its peak RSS is the auditor's alone), against the endpoint in
 * AWS_ENDPOINT_URL. Prints one JSON line: wall time, peak RSS, result and failure counts.
 */
import { runAudit } from "../shared/audit";
import { createAccountReader } from "../shared/aws/reader";
import { parseConfig } from "../shared/config";

const started = performance.now();
const report = await runAudit({ reader: createAccountReader() }, parseConfig({}));
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    results: report.results.length,
    fails: report.summary.byStatus.FAIL,
    failures: report.failures.length,
  })}\n`,
);
