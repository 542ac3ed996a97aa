/**
 * `npm run build` (and `prepare`, which `npm ci`, `npm install` and `npm pack` run): bundles the
 * CLI with its dependencies into one CommonJS file, dist/cli.cjs, that plain node loads in about
 * a tenth of the time tsx needs to transpile the sources. Plain JavaScript, so that building
 * needs nothing but esbuild.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const outfile = new URL("../dist/cli.cjs", import.meta.url).pathname;
const result = await build({
  entryPoints: [new URL("../shared/cli.ts", import.meta.url).pathname],
  outfile,
  write: false,
  bundle: true,
  minify: true,
  // Error names (ConfigError, ...) stay readable in messages and with DEBUG.
  keepNames: true,
  platform: "node",
  format: "cjs", // loads faster than ESM, and needs no require() shim for CommonJS dependencies
  target: "node20",
  // The SDK's ES module builds: a smaller bundle that loads faster (as for the Lambda).
  mainFields: ["module", "main"],
  logLevel: "warning",
});
// Written whole, then renamed: a CLI starting meanwhile loads the old build or the new one.
await mkdir(new URL("../dist/", import.meta.url), { recursive: true });
for (const file of result.outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  await writeFile(tmp, file.contents);
  await rename(tmp, file.path);
}
