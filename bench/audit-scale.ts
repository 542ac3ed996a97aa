/**
 * Benchmark (not a test): audits synthetic accounts served by the local AWS fake with a fixed
 * latency per call, and prints wall time, API calls, the latency lower bound and peak RSS.
 *
 *   npm run bench -- [--sizes 2000:40,10000:200] [--latency 20] [--runs 3]
 *
 * Each size is INSTANCES:LOAD_BALANCERS spread over the 19 Lightsail regions. The lower bound is
 * the longest chain of calls that must happen one after another, times the latency.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { startFakeAws } from "../tests/fake-aws/server";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2000:40" },
    latency: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
  },
});
const latencyMs = Number(values.latency);
const runs = Number(values.runs);
const PAGE_SIZE = 25;
/** Certificate calls in flight per region (collectSnapshot's default). */
const LB_CONCURRENCY = 5;
const runner = fileURLToPath(new URL("./run-audit.ts", import.meta.url));

const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));

interface Row {
  size: string;
  wallMs: number;
  boundMs: number;
  calls: number;
  expectedCalls: number;
  peakRssMb: number;
  results: number;
}

async function measure(instances: number, loadBalancers: number): Promise<Row> {
  const account = syntheticAccount({ instances, loadBalancers, now: new Date() });
  const fake = await startFakeAws({ account, latencyMs, pageSize: PAGE_SIZE });
  try {
    const regions = Object.entries(account.lightsail);
    // Per region: instance pages run beside LB pages followed by the certificate calls.
    const regionChain = Math.max(
      ...regions.map(([, r]) =>
        Math.max(
          pages(r.instances.length),
          pages(r.loadBalancers.length) + Math.ceil(r.loadBalancers.length / LB_CONCURRENCY),
        ),
      ),
    );
    const chain = Math.max(regionChain, 2 /* GenerateCredentialReport -> GetCredentialReport */);
    const expectedCalls =
      regions.reduce(
        (n, [, r]) => n + pages(r.instances.length) + pages(r.loadBalancers.length),
        0,
      ) +
      loadBalancers +
      /* STS, Generate+Get report, summary, MFA list, distributions, certificates */ 7;

    const samples: { ms: number; peakRssMb: number; results: number; calls: number }[] = [];
    for (let i = 0; i < runs; i++) {
      fake.resetCalls();
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", runner], {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: fake.url,
          AWS_ACCESS_KEY_ID: "AKIDBENCH",
          AWS_SECRET_ACCESS_KEY: "bench",
          AWS_REGION: "us-east-1",
          AWS_MAX_ATTEMPTS: "1",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        },
        maxBuffer: 1 << 20,
      });
      const out = JSON.parse(stdout) as {
        ms: number;
        peakRssMb: number;
        results: number;
        failures: number;
      };
      if (out.failures > 0) throw new Error(`run had ${out.failures} collection failures`);
      samples.push({ ...out, calls: fake.calls.length });
    }
    samples.sort((a, b) => a.ms - b.ms);
    const median = samples[Math.floor(samples.length / 2)] ?? samples[0];
    if (!median) throw new Error("no samples");
    return {
      size: `${instances} instances, ${loadBalancers} LBs`,
      wallMs: median.ms,
      boundMs: chain * latencyMs,
      calls: median.calls,
      expectedCalls,
      peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
      results: median.results,
    };
  } finally {
    await fake.close();
  }
}

const rows: Row[] = [];
for (const size of values.sizes.split(",")) {
  const [instances, lbs] = size.split(":").map(Number);
  rows.push(await measure(instances ?? 0, lbs ?? 0));
}
console.log(
  `\n19 regions, ${latencyMs} ms per call, page size ${PAGE_SIZE}, median of ${runs} runs\n`,
);
console.log(
  "| account | wall | lower bound | ratio | API calls | pages+LBs+7 | peak RSS | results |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.size} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.boundMs / 1000).toFixed(2)} s | ${(r.wallMs / r.boundMs).toFixed(2)}x | ${r.calls} | ${r.expectedCalls} | ${r.peakRssMb.toFixed(0)} MB | ${r.results} |`,
  );
}
