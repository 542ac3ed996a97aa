/**
 * The CLI's own surface: --version, help for every command listing every option it takes, the
 * check list aligned, and one error prefix (commander's parse errors included).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { version } from "../../package.json";
import { type CliIo, main } from "../../shared/cli";

async function run(args: string[]) {
  const out = { text: "" };
  const err = { text: "" };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s) },
    stderr: { write: (s: string) => (err.text += s) },
    env: {},
  };
  const code = await main(args, io);
  return { code, out: out.text, err: err.text };
}

/** Every long option the source declares, as `--name`, grouped by the command declaring it. */
function declaredOptions() {
  const source = readFileSync(new URL("../../shared/cli.ts", import.meta.url), "utf8");
  const [root = "", fix = "", undo = ""] = source
    .slice(source.indexOf("function program("))
    .split(/\.command\("(?:fix|undo)"\)/);
  const flags = (text: string) =>
    [...text.matchAll(/(?:option|Option)\(\s*"(?:-\w, )?(--[\w-]+)/g)].map((m) => m[1] ?? "");
  return { root: flags(root), fix: flags(fix), undo: flags(undo) };
}

describe("lightsail-audit help and version", () => {
  it("--version and -V print the package's version", async () => {
    for (const flag of ["--version", "-V"]) {
      const { code, out } = await run([flag]);
      expect(code).toBe(0);
      expect(out).toBe(`${version}\n`);
    }
  });

  it("help, --help, fix --help and undo --help list every option the command takes", async () => {
    const options = declaredOptions();
    const help = await run(["help"]);
    const dashHelp = await run(["--help"]);
    const fix = await run(["fix", "--help"]);
    const undo = await run(["undo", "--help"]);

    expect(options.root.length).toBeGreaterThan(20);
    expect(help).toEqual({ ...dashHelp, code: 0 });
    for (const flag of options.root) expect(help.out).toMatch(new RegExp(`${flag}\\b`));
    expect(help.out).toMatch(/--version\b/);
    // fix runs the audit first: it takes all of the audit's options, and its own.
    for (const flag of [...options.root, ...options.fix]) {
      expect(fix.out).toMatch(new RegExp(`${flag}\\b`));
    }
    for (const flag of [...options.undo, "--state-table"]) {
      expect(undo.out).toMatch(new RegExp(`${flag}\\b`));
    }
    expect([fix.code, undo.code]).toEqual([0, 0]);
  });

  it("--list-checks aligns its columns on the longest check id", async () => {
    const { out } = await run(["--list-checks"]);
    const lines = out.trimEnd().split("\n");
    // Where the severity and the title start: the same column on every line.
    const starts = (l: string) => {
      const m = /^(\S+ +)(\S+ +)/.exec(l);
      return m ? `${m[1]?.length},${(m[1]?.length ?? 0) + (m[2]?.length ?? 0)}` : "unaligned";
    };

    expect(new Set(lines.map(starts)).size).toBe(1);
    expect(starts(lines[0] ?? "")).not.toBe("unaligned");
  });

  it("every error starts with the same prefix, commander's parse errors included", async () => {
    for (const args of [
      ["--bogus"],
      ["fix", "--bogus"],
      ["undo"],
      ["--format", "yaml"],
      ["nope"],
    ]) {
      const { code, err } = await run(args);
      expect(code).toBe(1);
      expect(err).toMatch(/^lightsail-audit: \S/);
      expect(err).not.toMatch(/^error:/m);
    }
  });
});
