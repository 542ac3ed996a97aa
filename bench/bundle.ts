/**
 * Benchmark (not a test): each function's deployment zip size and module load time, the cold
 * start's share that the code controls.
 *
 *   npm run bench:bundle [-- --runs 20]
 *
 * Packages the stack with `osls package`, then for each function's bundle runs
 * `node -e 'require(bundle)'` repeatedly and reports the median wall time. Budget: 300 KB a zip.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const BUDGET_KB = 300;
const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "bundle-"));
execFileSync(
  join(root, "node_modules/.bin/osls"),
  ["package", "--stage", "bench", "--package", out],
  {
    cwd: root,
    stdio: "ignore",
  },
);

console.log(`\n| function | zip | budget | bundle | module load (median of ${runs}) |`);
console.log("|---|---:|---:|---:|---:|");
for (const zip of readdirSync(out).filter((f) => f.endsWith(".zip"))) {
  const dir = mkdtempSync(join(tmpdir(), "unzipped-"));
  execFileSync("unzip", ["-q", join(out, zip), "-d", dir]);
  for (const file of readdirSync(join(dir, "functions")).filter((f) => f.endsWith(".cjs"))) {
    const bundle = join(dir, "functions", file);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      execFileSync(process.execPath, ["-e", `require(${JSON.stringify(bundle)})`], {
        // The environment the stack gives every function.
        env: {
          PATH: process.env.PATH,
          AWS_REGION: "us-east-1",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:lightsail-auditor-alerts",
          STATE_TABLE: "lightsail-auditor-state",
          REPORT_BUCKET: "lightsail-auditor-reports-123456789012",
          REPORT_LINK_SECRET:
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:report-link-AbCdEf",
        },
      });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const zipKb = statSync(join(out, zip)).size / 1024;
    console.log(
      `| ${file.replace(/\.cjs$/, "")} | ${zipKb.toFixed(0)} KB | ${zipKb <= BUDGET_KB ? "within" : "OVER"} ${BUDGET_KB} KB | ${(statSync(bundle).size / 1024).toFixed(0)} KB | ${times[Math.floor(runs / 2)]?.toFixed(0)} ms |`,
    );
  }
}
const baseline: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  execFileSync(process.execPath, ["-e", "0"]);
  baseline.push(performance.now() - start);
}
baseline.sort((a, b) => a - b);
console.log(
  `\nnode -e 0 alone: ${baseline[Math.floor(runs / 2)]?.toFixed(0)} ms (median), included in the times above.`,
);
