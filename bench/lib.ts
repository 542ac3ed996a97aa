/** What the benchmarks share: the esbuild bundle they run (as the Lambda is bundled), the fake's env. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";

/** Bundles `entry` (a file under bench/) like the function: minified CommonJS; returns its path. */
export async function bundle(entry: string): Promise<string> {
  const outfile = join(
    mkdtempSync(join(tmpdir(), "bench-")),
    basename(entry).replace(/\.ts$/, ".cjs"),
  );
  await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    mainFields: ["module", "main"],
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

/** The SDK's environment pointed at the local fake, with test credentials and no retries. */
export function fakeEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    IP_RANGES: `${url}/ip-ranges.json`,
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}
