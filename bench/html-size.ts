/**
 * Benchmark (not a test): the HTML report's size and render CPU, for the demo account and for
 * synthetic accounts served by the local AWS fake (audited over HTTP by the real SDK clients, in
 * this process), with a 30-run trend as the Lambda draws it.
 *
 *   npx tsx bench/html-size.ts [--sizes 2000:40,10000:200] [--runs 5]
 */
import { parseArgs } from "node:util";
import { runAudit } from "../shared/audit";
import { createAccountReader } from "../shared/aws/reader";
import { parseConfig } from "../shared/config";
import type { AuditReport } from "../shared/model";
import { renderHtml } from "../shared/report/html";
import { jsonChunks } from "../shared/report/json";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { startFakeAws } from "../tests/fake-aws/server";
import { demoReport, demoTrend } from "../tests/helpers/demo-report";
import { fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2000:40,10000:200" },
    runs: { type: "string", default: "5" },
  },
});
const runs = Number(values.runs);
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function synthetic(instances: number, loadBalancers: number): Promise<AuditReport> {
  const fake = await startFakeAws({
    account: syntheticAccount({ instances, loadBalancers, now: new Date() }),
  });
  Object.assign(process.env, fakeEnv(fake.url));
  try {
    return await runAudit({ reader: createAccountReader() }, parseConfig({}));
  } finally {
    await fake.close();
  }
}

function measure(name: string, report: AuditReport) {
  const trend = demoTrend(report);
  const cpu: number[] = [];
  let html = "";
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    html = renderHtml(report, { trend });
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
  }
  const uncapped = renderHtml(report, { trend, maxFindingsPerCheck: Number.POSITIVE_INFINITY });
  let json = 0;
  for (const piece of jsonChunks(report)) json += Buffer.byteLength(piece);
  const fails = report.results.filter((r) => r.status === "FAIL").length;
  const row = [
    name,
    report.results.length.toLocaleString("en"),
    fails.toLocaleString("en"),
    Buffer.byteLength(html).toLocaleString("en"),
    Buffer.byteLength(uncapped).toLocaleString("en"),
    json.toLocaleString("en"),
    `${median(cpu).toFixed(0)} ms`,
  ];
  process.stdout.write(`| ${row.join(" | ")} |\n`);
}

process.stdout.write(
  "| account | results | FAIL | HTML bytes | HTML, no cap | JSON bytes (compact) | render CPU (median) |\n|---|--:|--:|--:|--:|--:|--:|\n",
);
measure("demo", await demoReport());
for (const size of String(values.sizes).split(",")) {
  const [instances = 0, lbs = 0] = size.split(":").map(Number);
  measure(
    `${instances.toLocaleString("en")} instances, ${lbs} LBs`,
    await synthetic(instances, lbs),
  );
}
