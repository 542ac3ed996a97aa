/**
 * Benchmark (not a test): the CLI's organization mode over synthetic organizations served by the
 * local fake with a fixed latency on every call. Each member account has about 20 instances and
 * 2 load balancers over 3 regions (the organization generator's options); the CLI audits every
 * Lightsail region of each, as by default. Prints wall time, API calls (per account too), the
 * CLI's CPU per account and its peak RSS.
 *
 *   npx tsx bench/org-scale.ts [--sizes 100,1000] [--latency 20] [--concurrency 8] [--regions R,R]
 *
 * The CLI runs bundled by esbuild in its own process (bench/run-org.ts); the fake runs in this
 * one, so its CPU is not counted as the auditor's (both share the machine's cores; fakeCpuS
 * says how much the fake took).
 */
import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { syntheticOrganization } from "../tests/fake-aws/accounts/organization";
import { startFakeAws } from "../tests/fake-aws/server";
import { bundle, fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000" },
    latency: { type: "string", default: "20" },
    concurrency: { type: "string", default: "8" },
    /** The CLI's --regions (default: all, as the CLI's own default). */
    regions: { type: "string" },
  },
});
const run = promisify(execFile);
const runner = await bundle("./run-org.ts");

for (const size of values.sizes.split(",").map(Number)) {
  const org = syntheticOrganization({
    accounts: size,
    instances: 20,
    loadBalancers: 2,
    regions: 3,
  });
  const fake = await startFakeAws({
    account: org.management,
    members: org.members,
    organization: org.organization,
    latencyMs: Number(values.latency),
  });
  try {
    const fakeCpu = process.cpuUsage();
    const { stdout } = await run(
      process.execPath,
      [
        runner,
        "--organization",
        "--format",
        "json",
        "--account-concurrency",
        values.concurrency,
        ...(values.regions ? ["--regions", values.regions] : []),
      ],
      { env: { ...process.env, ...fakeEnv(fake.url) }, maxBuffer: 1 << 26 },
    );
    const r = JSON.parse(stdout) as {
      ms: number;
      cpuMs: number;
      peakRssMb: number;
      totals: { selected: number; audited: number; notAudited: number };
    };
    const fakeUsage = process.cpuUsage(fakeCpu);
    const byService: Record<string, number> = {};
    for (const c of fake.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    console.log(
      JSON.stringify({
        accounts: size + 1,
        audited: r.totals.audited,
        notAudited: r.totals.notAudited,
        wallS: +(r.ms / 1000).toFixed(1),
        calls: fake.calls.length,
        callsPerAccount: Math.round(fake.calls.length / r.totals.audited),
        byService,
        cpuMsPerAccount: Math.round(r.cpuMs / r.totals.audited),
        cpuS: +(r.cpuMs / 1000).toFixed(1),
        peakRssMb: Math.round(r.peakRssMb),
        // The fake's own CPU (this process), on the same cores.
        fakeCpuS: +((fakeUsage.user + fakeUsage.system) / 1e6).toFixed(1),
      }),
    );
  } finally {
    await fake.close();
  }
}
