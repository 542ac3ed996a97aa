/**
 * Benchmark (not a test): audits synthetic accounts served by the local AWS fake with a fixed
 * latency on every call, and prints wall time, API calls, the latency lower bound and peak RSS,
 * beside the script an owner would otherwise write: the AWS CLI's `get-instances` and
 * `get-load-balancers`, region after region, against the same fake and latency.
 *
 *   npm run bench -- [--sizes 100:10,2000:40,10000:200] [--latency 20] [--runs 3] [--no-cli]
 *
 * Each size is INSTANCES:LOAD_BALANCERS spread over the 19 Lightsail regions. The audit runs as
 * the Lambda does: bundled by esbuild, in its own process, run by plain node. The lower bound is
 * the longest chain of calls that must happen one after another, times the latency.
 */
import { execFile, execFileSync } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { LIGHTSAIL_REGIONS } from "../shared/aws/regions";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { type FakeAws, startFakeAws } from "../tests/fake-aws/server";
import { bundle, fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100:10,2000:40,10000:200" },
    latency: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    "no-cli": { type: "boolean", default: false },
  },
});
const latencyMs = Number(values.latency);
const runs = Number(values.runs);
const PAGE_SIZE = 25;
/** Certificate calls in flight per region (collectSnapshot's default). */
const LB_CONCURRENCY = 5;
const run = promisify(execFile);

const runner = await bundle("./run-audit.ts");

const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
const env = (fake: FakeAws) => ({ ...process.env, ...fakeEnv(fake.url) });
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Row {
  size: string;
  wallMs: number;
  boundMs: number;
  calls: number;
  expectedCalls: number;
  peakRssMb: number;
  cliMs?: number;
  cliCalls?: number;
}

/** The owner's script: every region, one after another, instances then load balancers. */
async function awsCli(fake: FakeAws): Promise<{ ms: number; calls: number }> {
  fake.resetCalls();
  const started = performance.now();
  for (const region of LIGHTSAIL_REGIONS) {
    for (const command of ["get-instances", "get-load-balancers"]) {
      await run("aws", ["lightsail", command, "--region", region, "--output", "json"], {
        env: env(fake),
        maxBuffer: 1 << 28,
      }).catch(() => undefined); // the disabled opt-in region fails, as it would for the owner
    }
  }
  return { ms: performance.now() - started, calls: fake.calls.length };
}

async function measure(instances: number, loadBalancers: number): Promise<Row> {
  const account = syntheticAccount({ instances, loadBalancers, now: new Date() });
  const fake = await startFakeAws({ account, latencyMs, pageSize: PAGE_SIZE });
  try {
    const regions = Object.values(account.lightsail);
    // Per region: the instance pages, beside the LB pages followed by the certificate calls and
    // then the TLS-policy page.
    const regionChain = Math.max(
      ...regions.map((r) =>
        Math.max(
          pages(r.instances.length),
          pages(r.loadBalancers.length) + Math.ceil(r.loadBalancers.length / LB_CONCURRENCY) + 1,
        ),
      ),
    );
    const chain = Math.max(
      regionChain,
      3 /* STS, then GenerateCredentialReport -> GetCredentialReport */,
    );
    const expectedCalls =
      regions.reduce(
        (n, r) =>
          n +
          pages(r.instances.length) +
          pages(r.loadBalancers.length) +
          /* TLS policies */ 1 +
          /* SSM managed nodes (the synthetic account has none) */ 1,
        0,
      ) +
      loadBalancers +
      /* STS, Generate+Get report, summary, MFA list, ListGroups (no groups), distributions, certificates */ 8;

    const samples: { ms: number; peakRssMb: number; calls: number }[] = [];
    for (let i = 0; i < runs; i++) {
      fake.resetCalls();
      const { stdout } = await run(process.execPath, [runner], { env: env(fake) });
      const out = JSON.parse(stdout) as { ms: number; peakRssMb: number; failures: number };
      if (out.failures > 0) throw new Error(`run had ${out.failures} collection failures`);
      samples.push({ ...out, calls: fake.calls.length });
    }
    const cli = values["no-cli"] ? undefined : await awsCli(fake);
    return {
      size: `${instances.toLocaleString("en")} instances, ${loadBalancers} LBs`,
      wallMs: median(samples.map((s) => s.ms)),
      boundMs: chain * latencyMs,
      calls: median(samples.map((s) => s.calls)),
      expectedCalls,
      peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
      ...(cli ? { cliMs: cli.ms, cliCalls: cli.calls } : {}),
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
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `\n19 regions, ${latencyMs} ms per call, page size ${PAGE_SIZE}, median of ${runs} runs; ${execFileSync("nproc").toString().trim()} cores\n`,
);
console.log(
  "| account | audit wall | lower bound | ratio | API calls | formula | peak RSS | AWS CLI script | its calls | speed-up |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const cli =
    r.cliMs === undefined
      ? "| – | – | –"
      : `| ${s(r.cliMs)} | ${r.cliCalls} | ${(r.cliMs / r.wallMs).toFixed(0)}x`;
  console.log(
    `| ${r.size} | ${s(r.wallMs)} | ${s(r.boundMs)} | ${(r.wallMs / r.boundMs).toFixed(2)}x | ${r.calls} | ${r.expectedCalls} | ${r.peakRssMb.toFixed(0)} MB ${cli} |`,
  );
}
