/**
 * `--output`: checked before the audit starts, written whole into a regular file (a symlink is
 * written through, never replaced), streamed into a FIFO or a character device, and never a
 * temp file left behind.
 */
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli";
import type { AccountReader } from "../../shared/collect/reader";
import { readerFor } from "../helpers/reader";
import { snapshot } from "../helpers/snapshot";

/** The CLI with captured streams; `reader.calls` counts the AWS reads (0: no audit started). */
function harness(overrides: Partial<AccountReader> = {}) {
  const out = { text: "" };
  const err = { text: "" };
  const reads = { calls: 0 };
  const base = readerFor(snapshot(), overrides);
  const reader = {
    ...base,
    getCallerIdentity: () => {
      reads.calls++;
      return base.getCallerIdentity();
    },
  };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s) },
    stderr: { write: (s: string) => (err.text += s) },
    env: {},
    reader,
  };
  return { io, out, err, reads };
}
const ARGS = ["--regions", "us-east-1", "--patching", "off", "--format", "json"];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-output-"));
});

describe("--output", () => {
  it("writes through a symlink: the link stays, its target gets the report", async () => {
    const target = join(dir, "reports", "latest.json");
    await mkdir(join(dir, "reports"));
    await writeFile(target, "old");
    const link = join(dir, "report.json");
    await symlink(target, link);
    const { io } = harness();

    expect(await main([...ARGS, "--output", link], io)).toBe(0);

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, "utf8"))).toMatchObject({ schemaVersion: 2 });
    expect((await readdir(dir)).sort()).toEqual(["report.json", "reports"]);
    expect(await readdir(join(dir, "reports"))).toEqual(["latest.json"]);
  });

  it("streams into a FIFO (as into /dev/stdout) instead of replacing it with a file", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const received = text(createReadStream(fifo));
    const { io } = harness();

    expect(await main([...ARGS, "--output", fifo], io)).toBe(0);

    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(JSON.parse(await received)).toMatchObject({ schemaVersion: 2 });
  });

  it.each([
    ["a directory", () => dir, "is a directory"],
    ["a missing directory", () => join(dir, "no", "such", "report.json"), "no such directory"],
    ["a path under a file", () => join(dir, "file", "report.json"), "is not a directory"],
  ])("refuses %s before the audit starts, naming the path", async (_, path, reason) => {
    await writeFile(join(dir, "file"), "");
    const output = path();
    const { io, err, reads } = harness();

    expect(await main([...ARGS, "--output", output], io)).toBe(1);

    expect(reads.calls).toBe(0);
    expect(err.text).toContain(`lightsail-audit: --output ${output}: `);
    expect(err.text).toContain(reason);
    expect(err.text).not.toContain(".tmp");
  });

  it("refuses a dangling symlink rather than replacing the link", async () => {
    const link = join(dir, "report.json");
    await symlink(join(dir, "gone", "x.json"), link);
    const { io, err, reads } = harness();

    expect(await main([...ARGS, "--output", link], io)).toBe(1);

    expect(reads.calls).toBe(0);
    expect(err.text).toContain(`--output ${link}: `);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it("a write that fails after the audit names the output and leaves no temp file", async () => {
    const output = join(dir, "report.json");
    // The path becomes a directory while the audit runs: the final rename fails.
    const { io, err } = harness({
      getAccountSummary: async () => {
        await mkdir(output);
        return readerFor(snapshot()).getAccountSummary();
      },
    });

    expect(await main([...ARGS, "--output", output], io)).toBe(1);

    expect(err.text).toMatch(new RegExp(`^lightsail-audit: --output ${output}: cannot write`));
    expect(err.text).not.toContain(".tmp");
    expect(await readdir(dir)).toEqual(["report.json"]);
  });
});
