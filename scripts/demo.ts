/**
 * `npm run demo [-- CLI flags]`: starts the local AWS fake with the built-in demo account on a free
 * loopback port, runs the real CLI against it, then stops the fake. No AWS account is needed.
 *
 * wordpress.org's API is the loopback fake too (tests/fake-aws/wordpress-org.ts), rather than a
 * bundled snapshot of its answers: the demo needs no network, and the CLI runs its real HTTP
 * client (timeouts, parsing) exactly as against api.wordpress.org.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { demoAccount } from "../tests/fake-aws/accounts/demo";
import { startFakeAws } from "../tests/fake-aws/server";
import { startFakeWordPressOrg } from "../tests/fake-aws/wordpress-org";

const cli = fileURLToPath(new URL("../bin/lightsail-audit.mjs", import.meta.url));
const fake = await startFakeAws({ account: demoAccount(new Date()) });
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
  `Demo: auditing the built-in demo account (local AWS fake at ${fake.url})\n\n`,
);
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { env, stdio: "inherit" });
const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
await fake.close();
await wordpressOrg.stop();
process.exitCode = code;
