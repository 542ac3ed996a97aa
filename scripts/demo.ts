/**
 * `npm run demo [-- CLI flags]`: starts the local AWS fake with the built-in demo account on a free
 * loopback port, runs the real CLI against it, then stops the fake. No AWS account is needed.
 *
 * wordpress.org's API is the loopback fake too (tests/fake-aws/wordpress-org.ts), rather than a
 * bundled snapshot of its answers: the demo needs no network, and the CLI runs its real HTTP
 * client (timeouts, parsing) exactly as against api.wordpress.org.
 * With `--organization` (or `--accounts`) the fake serves a small synthetic organization instead
 * (a management account and 12 members over three OUs, one without the member role, one
 * suspended), and the CLI audits it through the member role, in the regions the members use.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { demoAccount } from "../tests/fake-aws/accounts/demo";
import { syntheticOrganization } from "../tests/fake-aws/accounts/organization";
import { startFakeAws } from "../tests/fake-aws/server";
import { startFakeWordPressOrg } from "../tests/fake-aws/wordpress-org";

const cli = fileURLToPath(new URL("../bin/lightsail-audit.mjs", import.meta.url));
const args = process.argv.slice(2);
const organization = args.some((a) => a === "--organization" || a.startsWith("--accounts"));
const org = syntheticOrganization({ accounts: 12, withoutRole: 1, suspended: 1 });
const fake = await startFakeAws(
  organization
    ? { account: org.management, members: org.members, organization: org.organization }
    : { account: demoAccount(new Date()) },
);
// The members use these regions only: the demo skips the others unless --regions is given.
const orgRegions = "us-east-1,us-west-2,eu-west-2,eu-central-1,ap-southeast-2";
const cliArgs =
  organization && !args.some((a) => a.startsWith("--regions"))
    ? [...args, "--regions", orgRegions]
    : args;
const wordpressOrg = await startFakeWordPressOrg();

// The child sees only the fake: no profile, no real keys, no per-service endpoint overrides.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith("AWS_") || k === "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
  ),
);
Object.assign(env, {
  AWS_ENDPOINT_URL: fake.url,
  IP_RANGES: `${fake.url}/ip-ranges.json`,
  AWS_ACCESS_KEY_ID: "AKIADEMODEMODEMO0000",
  AWS_SECRET_ACCESS_KEY: "demo-secret-not-a-real-key",
  AWS_REGION: "us-east-1",
  AWS_MAX_ATTEMPTS: "1",
  WORDPRESS_ORG_URL: wordpressOrg.url,
});

process.stderr.write(
  organization
    ? `Demo: auditing a synthetic organization of ${org.members.length + 1} accounts (local AWS fake at ${fake.url})\n\n`
    : `Demo: auditing the built-in demo account (local AWS fake at ${fake.url})\n\n`,
);
const child = spawn(process.execPath, [cli, ...cliArgs], { env, stdio: "inherit" });
const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
await fake.close();
await wordpressOrg.stop();
process.exitCode = code;
