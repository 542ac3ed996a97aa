#!/usr/bin/env node
// Runs the built CLI, dist/cli.cjs (`npm run build`; `npm ci` and `npm pack` build it through
// `prepare`). In a source checkout whose sources changed since that build, runs the TypeScript
// through tsx instead (about 0.6 s slower), so a stale build never hides an edit.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `lightsail-audit | head` closes the pipe early: that is not an error.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

const built = fileURLToPath(new URL("../dist/cli.cjs", import.meta.url));
const sources = fileURLToPath(new URL("../shared", import.meta.url));

/** Only in a source checkout (an installed package ships the build, not shared/). */
function stale() {
  if (!existsSync(sources)) return false;
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const files = readdirSync(sources, { recursive: true });
  return files.some((f) => statSync(join(sources, String(f))).mtimeMs > builtAt);
}

let main;
if (stale()) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../shared/cli.ts"));
} else {
  ({ main } = createRequire(import.meta.url)(built));
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
