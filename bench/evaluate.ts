/**
 * Benchmark (not a test): CPU time of the evaluate stage alone on a synthetic account, measured
 * with `process.cpuUsage` (user + system of this process), which a shared 2-core machine disturbs
 * far less than wall time. The snapshot is collected once from the local AWS fake over HTTP with
 * the real SDK, then `evaluate(...)` (shared/audit.ts) runs `--runs` times over every check, and
 * each check alone as many times.
 *
 *   npx tsx bench/evaluate.ts [--instances 10000] [--load-balancers 200] [--runs 7]
 *
 * Prints the median and the range, in ms, of every run (the first one warms the JIT up too).
 */
import { parseArgs } from "node:util";
import { evaluate } from "../shared/audit";
import { createAccountReader } from "../shared/aws/reader";
import { LIGHTSAIL_REGIONS } from "../shared/aws/regions";
import { CHECKS } from "../shared/checks/index";
import { collectSnapshot } from "../shared/collect/snapshot";
import { fingerprint } from "../shared/findings/fingerprint";
import type { CheckContext, CheckDefinition } from "../shared/model";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { startFakeAws } from "../tests/fake-aws/server";
import { fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "10000" },
    "load-balancers": { type: "string", default: "200" },
    runs: { type: "string", default: "7" },
  },
});
const runs = Number(values.runs);
const now = new Date("2026-08-01T12:00:00Z");

const fake = await startFakeAws({
  account: syntheticAccount({
    instances: Number(values.instances),
    loadBalancers: Number(values["load-balancers"]),
    now,
  }),
  now: () => now,
});
Object.assign(process.env, {
  ...fakeEnv(fake.url),
});
const snapshot = await collectSnapshot(
  createAccountReader({ credentialReport: { initialDelayMs: 10 } }),
  { regions: LIGHTSAIL_REGIONS },
).finally(() => fake.close());

const ctx: CheckContext = {
  now: now.toISOString(),
  rootUsageDays: 90,
  patching: {
    mode: "dry-run",
    targets: "tagged",
    documentName: "lightsail-auditor-prod-enforce-patching",
  },
};

/** CPU ms (user + system) of each of `runs` evaluations of `checks`. */
function cpu(checks: readonly CheckDefinition[]): { ms: number[]; results: number } {
  const ms: number[] = [];
  let results = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    results = evaluate(checks, snapshot, ctx).length;
    const used = process.cpuUsage(start);
    ms.push((used.user + used.system) / 1000);
  }
  return { ms, results };
}

const line = (label: string, { ms, results }: { ms: number[]; results: number }) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const range = `${sorted[0]?.toFixed(0)}-${sorted.at(-1)?.toFixed(0)}`;
  return `${label.padEnd(45)} median ${median.toFixed(1).padStart(7)} ms  range ${range.padStart(9)} ms  ${results} results`;
};

const instances = snapshot.lightsail.reduce((n, r) => n + (r.instances?.length ?? 0), 0);
process.stdout.write(
  `${instances} instances, ${snapshot.failures.length} collection failures, ${runs} runs, Node ${process.version}\n`,
);
process.stdout.write(`${line("all checks", cpu(CHECKS))}\n`);
for (const check of CHECKS) process.stdout.write(`${line(check.id, cpu([check]))}\n`);

// The fingerprints alone: one per FAIL result, as evaluate computes them.
const failed = evaluate(CHECKS, snapshot, ctx).filter((r) => r.status === "FAIL");
const hashes: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = process.cpuUsage();
  for (const r of failed) fingerprint(r.checkId, r.resource);
  const used = process.cpuUsage(start);
  hashes.push((used.user + used.system) / 1000);
}
process.stdout.write(
  `${line("fingerprint (each FAIL result)", { ms: hashes, results: failed.length })}\n`,
);
