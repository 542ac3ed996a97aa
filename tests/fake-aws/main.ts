/**
 * Runs the fake AWS as a standalone server, for the CLI, `serverless invoke local` or a shell:
 *
 *   npx tsx tests/fake-aws/main.ts [--account demo|synthetic] [--instances N]
 *       [--load-balancers M] [--port P] [--latency MS]
 *   npx tsx tests/fake-aws/main.ts --accounts N [--instances N] [--load-balancers M] [--regions R]
 *
 * `--accounts N` serves a synthetic AWS Organization of N member accounts (see
 * accounts/organization.ts); any credentials act in its management account, and the members are
 * reached through STS AssumeRole of lightsail-auditor-member. `--instances`, `--load-balancers` and
 * `--regions` then apply per member (default: 1 to 6 instances, 0 or 1 load balancer, 2 or 3
 * regions, at random).
 *
 * Prints `FAKE_AWS_URL=http://127.0.0.1:PORT` once listening (use it as AWS_ENDPOINT_URL, with any
 * credentials) and stops on SIGINT/SIGTERM. `--instances` and `--load-balancers` apply to the
 * synthetic account (defaults 100 and a tenth of the instances).
 *
 * `npx` does not pass SIGTERM on to its child: when scripting, start it as
 * `node --import tsx tests/fake-aws/main.ts …` (as the tests do) or signal the process group.
 */
import { parseArgs } from "node:util";
import { demoAccount } from "./accounts/demo";
import { syntheticOrganization } from "./accounts/organization";
import { syntheticAccount } from "./accounts/synthetic";
import { startFakeAws } from "./server";

const { values } = parseArgs({
  options: {
    account: { type: "string", default: "demo" },
    instances: { type: "string" },
    accounts: { type: "string" },
    regions: { type: "string" },
    "load-balancers": { type: "string" },
    port: { type: "string", default: "0" },
    latency: { type: "string", default: "0" },
  },
});

function count(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number, got "${text}"`);
  return n;
}

const now = new Date();
const instances = count("instances", values.instances ?? "100");
const org =
  values.accounts === undefined
    ? undefined
    : syntheticOrganization({
        accounts: count("accounts", values.accounts),
        now,
        ...(values.instances === undefined ? {} : { instances }),
        ...(values["load-balancers"] === undefined
          ? {}
          : { loadBalancers: count("load-balancers", values["load-balancers"]) }),
        ...(values.regions === undefined ? {} : { regions: count("regions", values.regions) }),
      });
const account = org
  ? org.management
  : values.account === "demo"
    ? demoAccount(now)
    : values.account === "synthetic"
      ? syntheticAccount({
          instances,
          loadBalancers: count(
            "load-balancers",
            values["load-balancers"] ?? String(Math.ceil(instances / 10)),
          ),
          now,
        })
      : undefined;
if (!account) throw new Error(`--account must be demo or synthetic, got "${values.account}"`);

const fake = await startFakeAws({
  account,
  ...(org ? { members: org.members, organization: org.organization } : {}),
  port: count("port", values.port),
  latencyMs: count("latency", values.latency),
});
process.stdout.write(`FAKE_AWS_URL=${fake.url}\n`);

const stop = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
