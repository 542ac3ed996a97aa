/**
 * Benchmark (not a test): the API calls the CLI makes with and without `--only`, counted by the
 * local AWS fake serving a synthetic account, per service.
 *
 *   npx tsx bench/calls.ts [--instances 2000] [--load-balancers 40]
 */
import { parseArgs } from "node:util";
import { main } from "../shared/cli";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { startFakeAws } from "../tests/fake-aws/server";
import { fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "2000" },
    "load-balancers": { type: "string", default: "40" },
  },
});
const now = new Date();
const fake = await startFakeAws({
  account: syntheticAccount({
    instances: Number(values.instances),
    loadBalancers: Number(values["load-balancers"]),
    now,
  }),
});
const env = {
  ...process.env,
  ...fakeEnv(fake.url),
};
Object.assign(process.env, env);

const RUNS: [string, string[]][] = [
  ["full audit", []],
  ["--only iam-root-mfa-enabled", ["--only", "iam-root-mfa-enabled"]],
  [
    "--only 3 instance checks",
    [
      "--only",
      "lightsail-instance-ssh-not-public,lightsail-instance-admin-ports-not-public,lightsail-instance-imdsv2-required",
    ],
  ],
  [
    "--only 3 load-balancer checks",
    [
      "--only",
      "lightsail-lb-https-enabled,lightsail-lb-certificate-valid,lightsail-lb-tls-policy-current",
    ],
  ],
];

process.stdout.write(
  `${values.instances} instances, ${values["load-balancers"]} load balancers\n` +
    `${"run".padEnd(32)} ${"total".padStart(5)}  per service\n`,
);
try {
  for (const [label, args] of RUNS) {
    fake.resetCalls();
    const code = await main(["--format", "json", ...args], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => process.stderr.write(s) },
      env,
    });
    const byService: Record<string, number> = {};
    for (const c of fake.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    const services = Object.entries(byService)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
    process.stdout.write(
      `${label.padEnd(32)} ${String(fake.calls.length).padStart(5)}  ${services} (exit ${code})\n`,
    );
  }
} finally {
  await fake.close();
}
