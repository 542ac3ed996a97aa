/**
 * The package as a user gets it: `npm pack` builds the CLI (prepare) into a tarball that installs
 * into an empty folder with no registry (it has no runtime dependencies: they are bundled), and
 * its `lightsail-audit` runs.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { version } from "../../package.json";
import { CHECKS } from "../../shared/checks/index";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;

it("npm pack makes a tarball that installs offline into an empty folder and runs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "pack-"));
  const app = join(dir, "app");
  await mkdir(app);
  const npm = {
    timeout: 120_000,
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" },
  };

  await run("npm", ["pack", "--silent", "--pack-destination", dir], { ...npm, cwd: root });
  const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz")) ?? "";
  const { stdout: listing } = await run("tar", ["-tzf", join(dir, tarball)]);
  await run("npm", ["install", "--offline", join(dir, tarball)], { ...npm, cwd: app });
  const bin = join(app, "node_modules", ".bin", "lightsail-audit");
  const versionOut = await run(bin, ["--version"], { cwd: app });
  const checks = await run(bin, ["--list-checks"], { cwd: app });

  // Only the launcher and the build ship: no sources, no tests.
  expect(listing.trim().split("\n").sort()).toEqual([
    "package/README.md",
    "package/bin/lightsail-audit.mjs",
    "package/dist/cli.cjs",
    "package/package.json",
  ]);
  expect(versionOut.stdout).toBe(`${version}\n`);
  expect(
    checks.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/)[0]),
  ).toEqual(CHECKS.map((c) => c.id));
  expect(checks.stderr).toBe("");
}, 180_000);
