/**
 * The scripts that run on the instances, run for real on this Debian machine: shellcheck on each
 * (and on the document's assembled step), enforce-patching.sh against a temporary ROOT with the
 * package manager stubbed, its files read back by the real apt-config, and clean-logs.sh on a
 * temporary tree of rotated logs. Needs shellcheck and apt-config (CI installs shellcheck).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parsePatchOutput } from "../../shared/patching/result";

const DIR = new URL("../../shared/patching/", import.meta.url).pathname;
const ENFORCE = join(DIR, "enforce-patching.sh");
const CLEAN_LOGS = join(DIR, "clean-logs.sh");
const document = createRequire(import.meta.url)(
  "../../shared/patching/document.cjs",
) as typeof import("../../shared/patching/document.cjs");

function requireTool(name: string, why: string) {
  const probe = spawnSync(name, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${name} is required (${why}) but is not installed or does not run`);
  }
}

beforeAll(() => {
  requireTool("shellcheck", "lints the instance scripts; CI installs it with apt-get");
  requireTool("apt-config", "Debian's apt parses the generated configuration");
});

const temps: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "patching-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The document's step as the agent runs it: SSM substitutes each {{ parameter }}. */
function documentScript(values: Record<string, string> = {}): string {
  const step = document.documentContent().mainSteps[0];
  let text = `${step?.inputs.runCommand.join("\n")}\n`;
  for (const [name, p] of Object.entries(document.documentContent().parameters)) {
    text = text.replaceAll(`{{ ${name} }}`, values[name] ?? p.default);
  }
  return text;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function sh(script: string, env: Record<string, string>, args: string[] = []): Run {
  const r = spawnSync("sh", [script, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs enforce-patching.sh on `root` with apt stubbed; returns the run and its parsed line. */
function enforce(root: string, env: Record<string, string> = {}, script = ENFORCE) {
  const run = sh(script, { ROOT: root, PATCH_STUB_APT: "1", ...env });
  const lines = run.stdout.trimEnd().split("\n");
  const parsed = parsePatchOutput(run.stdout);
  if (!("result" in parsed)) throw new Error(`${parsed.error}: ${run.stdout}${run.stderr}`);
  return { run, lines, result: parsed.result };
}

/** apt-config over ROOT's apt.conf.d only (never this machine's), plus `files` given with -c. */
function aptConfig(root: string | undefined, args: string[], files: string[] = []): string {
  const conf = join(temp(), "apt.conf");
  const parts = root ? join(root, "etc/apt/apt.conf.d") : temp();
  writeFileSync(conf, `Dir::Etc::main "/dev/null";\nDir::Etc::parts "${parts}/";\n`);
  const r = spawnSync("apt-config", [...files.flatMap((f) => ["-c", f]), ...args], {
    encoding: "utf8",
    env: { ...process.env, APT_CONFIG: conf },
  });
  if (r.status !== 0) throw new Error(`apt-config failed: ${r.stderr}`);
  return r.stdout;
}

/** The values apt sees for `keys` (apt-config shell), unquoted. */
function aptValues(root: string | undefined, keys: string[], files: string[] = []) {
  const out = aptConfig(root, ["shell", ...keys.flatMap((k, i) => [`V${i}`, k])], files);
  const values: Record<string, string> = {};
  for (const line of out.trim().split("\n").filter(Boolean)) {
    const m = /^V(\d+)='(.*)'$/.exec(line);
    if (m) values[keys[Number(m[1])] ?? ""] = m[2] ?? "";
  }
  return values;
}

const UU = "Unattended-Upgrade::";
const PERIODIC = "APT::Periodic::";
const KEYS = [
  `${UU}Remove-Unused-Kernel-Packages`,
  `${UU}Remove-New-Unused-Dependencies`,
  `${UU}Automatic-Reboot`,
  `${UU}Automatic-Reboot-Time`,
  `${UU}Mail`,
  `${UU}MailReport`,
  `${PERIODIC}Update-Package-Lists`,
  `${PERIODIC}Download-Upgradeable-Packages`,
  `${PERIODIC}Unattended-Upgrade`,
  `${PERIODIC}AutocleanInterval`,
];
// unattended-upgrades' own variables, which must reach apt literally.
// biome-ignore lint/suspicious/noTemplateCurlyInString: not a JavaScript placeholder
const UPDATES_PATTERN = "origin=${distro_id},codename=${distro_codename}-updates";
const originsPatterns = (dump: string) =>
  dump
    .split("\n")
    .filter((l) => l.startsWith(`${UU}Origins-Pattern:: `))
    .map((l) => l.slice(`${UU}Origins-Pattern:: `.length));

const FILES = [
  "/etc/apt/apt.conf.d/90lightsail-auditor-unattended-upgrades",
  "/etc/apt/apt.conf.d/90lightsail-auditor-periodic",
  "/usr/local/sbin/lightsail-auditor-clean-logs",
  "/etc/cron.d/lightsail-auditor-clean-logs",
];

describe("shellcheck", () => {
  it.each(["enforce-patching.sh", "clean-logs.sh"])("finds nothing in %s", (name) => {
    const r = spawnSync("shellcheck", ["-s", "sh", join(DIR, name)], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("finds nothing in the document's assembled step", () => {
    const file = join(temp(), "step.sh");
    writeFileSync(file, documentScript());
    const r = spawnSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
  });
});

describe("enforce-patching.sh on a temporary ROOT (package manager stubbed)", () => {
  it("writes its own drop-ins, which apt reads with exactly the enforced values", () => {
    const root = temp();

    const { run, lines, result } = enforce(root);

    expect(run.status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(result).toMatchObject({
      changed: FILES,
      updatesOrigin: true,
      drift: [],
      errors: [],
      rebootRequired: false,
      pendingSecurityUpdates: null,
      dryRun: "stubbed",
    });
    expect(aptValues(root, KEYS)).toEqual({
      [`${UU}Remove-Unused-Kernel-Packages`]: "true",
      [`${UU}Remove-New-Unused-Dependencies`]: "true",
      [`${UU}Automatic-Reboot`]: "true",
      [`${UU}Automatic-Reboot-Time`]: "02:00",
      [`${PERIODIC}Update-Package-Lists`]: "1",
      [`${PERIODIC}Download-Upgradeable-Packages`]: "1",
      [`${PERIODIC}Unattended-Upgrade`]: "1",
      [`${PERIODIC}AutocleanInterval`]: "7",
    });
    expect(originsPatterns(aptConfig(root, ["dump"]))).toEqual([`"${UPDATES_PATTERN}";`]);
    // The distribution's file is never touched, and nothing else is written.
    expect(readdirSync(join(root, "etc/apt/apt.conf.d")).sort()).toEqual([
      "90lightsail-auditor-periodic",
      "90lightsail-auditor-unattended-upgrades",
    ]);
    expect(result.settings).toEqual(
      Object.fromEntries(
        Object.entries(aptValues(root, KEYS)).filter(([k]) => !k.endsWith("Mail")),
      ),
    );
  });

  it("each file parses on its own with apt-config -c FILE", () => {
    const root = temp();
    enforce(root);

    const periodic = aptValues(undefined, KEYS, [join(root, FILES[1] ?? "")]);
    const uu = aptConfig(undefined, ["dump"], [join(root, FILES[0] ?? "")]);

    expect(periodic).toEqual({
      [`${PERIODIC}Update-Package-Lists`]: "1",
      [`${PERIODIC}Download-Upgradeable-Packages`]: "1",
      [`${PERIODIC}Unattended-Upgrade`]: "1",
      [`${PERIODIC}AutocleanInterval`]: "7",
    });
    expect(uu).toContain(`${UU}Automatic-Reboot-Time "02:00";`);
    expect(originsPatterns(uu)).toEqual([`"${UPDATES_PATTERN}";`]);
  });

  it("is idempotent: a second run changes nothing and reports so", () => {
    const root = temp();
    enforce(root);
    const before = FILES.map((f) => [
      readFileSync(join(root, f), "utf8"),
      statSync(join(root, f)).mtimeMs,
    ]);

    const { run, result } = enforce(root);

    expect(run.status).toBe(0);
    expect(result.changed).toEqual([]);
    expect(
      FILES.map((f) => [readFileSync(join(root, f), "utf8"), statSync(join(root, f)).mtimeMs]),
    ).toEqual(before);
  });

  it("puts back a file that was edited, and a mode that was changed", () => {
    const root = temp();
    enforce(root);
    writeFileSync(join(root, FILES[1] ?? ""), 'APT::Periodic::AutocleanInterval "0";\n');
    chmodSync(join(root, FILES[2] ?? ""), 0o644);

    const { result } = enforce(root);

    expect(result.changed).toEqual([FILES[1], FILES[2]]);
    expect(aptValues(root, [`${PERIODIC}AutocleanInterval`])).toEqual({
      [`${PERIODIC}AutocleanInterval`]: "7",
    });
    expect(statSync(join(root, FILES[2] ?? "")).mode & 0o777).toBe(0o755);
  });

  it("applies the parameters: no -updates origin, no reboot, another time, a mail address", () => {
    const root = temp();
    enforce(root);

    const { run, result } = enforce(root, {
      UPDATES_ORIGIN: "false",
      AUTOMATIC_REBOOT: "false",
      AUTOMATIC_REBOOT_TIME: "03:30",
      MAIL_TO: "ops@example.com",
    });

    expect(run.status).toBe(0);
    expect(result.changed).toEqual([FILES[0]]);
    expect(result.updatesOrigin).toBe(false);
    expect(aptValues(root, KEYS)).toMatchObject({
      [`${UU}Automatic-Reboot`]: "false",
      [`${UU}Automatic-Reboot-Time`]: "03:30",
      [`${UU}Mail`]: "ops@example.com",
      [`${UU}MailReport`]: "on-change",
    });
    expect(originsPatterns(aptConfig(root, ["dump"]))).toEqual([]);
  });

  it.each([
    [{ AUTOMATIC_REBOOT_TIME: "25:00" }, "AUTOMATIC_REBOOT_TIME must be HH:MM"],
    [{ AUTOMATIC_REBOOT: "yes" }, "AUTOMATIC_REBOOT must be true or false"],
    [{ MAIL_TO: "ops@example.com; rm -rf /" }, "MAIL_TO is not an e-mail address"],
  ])("rejects %o before writing anything", (env, message) => {
    const root = temp();

    const { run, result } = enforce(root, env);

    expect(run.status).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining(message)]);
    expect(result.changed).toEqual([]);
    expect(existsSync(join(root, "etc/apt/apt.conf.d/90lightsail-auditor-periodic"))).toBe(false);
  });

  it("reports a pending reboot", () => {
    const root = temp();
    mkdirSync(join(root, "var/run"), { recursive: true });
    writeFileSync(join(root, "var/run/reboot-required"), "*** System restart required ***\n");

    expect(enforce(root).result.rebootRequired).toBe(true);
  });

  it("reports drift when a later file overrides an enforced value, and exits 1", () => {
    const root = temp();
    mkdirSync(join(root, "etc/apt/apt.conf.d"), { recursive: true });
    writeFileSync(
      join(root, "etc/apt/apt.conf.d/99local"),
      'Unattended-Upgrade::Automatic-Reboot "false";\n',
    );

    const { run, result } = enforce(root);

    expect(run.status).toBe(1);
    expect(result.drift).toEqual([
      'Unattended-Upgrade::Automatic-Reboot is "false", expected "true"',
    ]);
    expect(result.errors).toEqual([]);
  });

  it("reports an apt syntax error as an error, with what apt-config says", () => {
    const root = temp();
    mkdirSync(join(root, "etc/apt/apt.conf.d"), { recursive: true });
    writeFileSync(join(root, "etc/apt/apt.conf.d/99broken"), 'APT::Periodic::Foo "1"\n');

    const { run, result } = enforce(root);

    expect(run.status).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^apt-config rejects the configuration: E: /),
    ]);
  });
});

describe("the guide's curly quotes", () => {
  // As copied from the hardening guide: typographic quotes around the value.
  const GUIDE = "APT::Periodic::AutocleanInterval \u201c7\u201d;\n";

  it("apt-config accepts them without error and yields \u201c7\u201d, while our file yields 7", () => {
    const dir = temp();
    const curly = join(dir, "guide");
    writeFileSync(curly, GUIDE);
    const root = temp();
    enforce(root);
    const key = `${PERIODIC}AutocleanInterval`;

    expect(aptValues(undefined, [key], [curly])).toEqual({ [key]: "\u201c7\u201d" });
    expect(aptValues(undefined, [key], [join(root, FILES[1] ?? "")])).toEqual({ [key]: "7" });
    expect(readFileSync(join(root, FILES[1] ?? ""), "utf8")).not.toMatch(
      /[\u201c\u201d\u2018\u2019]/,
    );
  });

  it("the script reports a curly-quoted override as drift", () => {
    const root = temp();
    mkdirSync(join(root, "etc/apt/apt.conf.d"), { recursive: true });
    writeFileSync(join(root, "etc/apt/apt.conf.d/99guide"), GUIDE);

    const { result } = enforce(root);

    expect(result.settings[`${PERIODIC}AutocleanInterval`]).toBe("\u201c7\u201d");
    expect(result.drift).toEqual([
      'APT::Periodic::AutocleanInterval is "\u201c7\u201d", expected "7"',
    ]);
  });
});

describe("enforce-patching.sh with the package manager present (stand-ins on PATH)", () => {
  /** dpkg-query says "not installed"; apt-get and unattended-upgrade record their arguments. */
  function standIns(options: { installFails?: boolean } = {}) {
    const bin = temp();
    const log = join(bin, "calls.log");
    const tool = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool("dpkg-query", "exit 1");
    tool(
      "apt-get",
      [
        `echo "apt-get DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-} $*" >>"${log}"`,
        'case " $* " in',
        `*" install "*) exit ${options.installFails ? 100 : 0} ;;`,
        '*" -s "*)',
        "  echo 'Inst libssl3 [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])'",
        "  echo 'Inst openssl [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])'",
        "  echo 'Inst tzdata [2024a-0+deb12u1] (2025a-0+deb12u1 Debian:12.9/stable-updates [all])'",
        "  echo 'Conf libssl3 (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])' ;;",
        "esac",
      ].join("\n"),
    );
    tool("unattended-upgrade", `echo "unattended-upgrade $*" >>"${log}"`);
    return { path: `${bin}:${process.env.PATH}`, calls: () => readFileSync(log, "utf8") };
  }

  it("installs unattended-upgrades non-interactively, runs the dry run, counts security updates", () => {
    const root = temp();
    const tools = standIns();

    const run = sh(ENFORCE, { ROOT: root, PATH: tools.path });
    const parsed = parsePatchOutput(run.stdout);

    expect(run.status).toBe(0);
    expect(parsed).toEqual({
      result: expect.objectContaining({
        changed: ["package unattended-upgrades", ...FILES],
        dryRun: "ok",
        pendingSecurityUpdates: 2,
        errors: [],
      }),
    });
    const calls = tools.calls().trim().split("\n");
    expect(calls).toContain(
      "apt-get DEBIAN_FRONTEND=noninteractive -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install unattended-upgrades",
    );
    expect(calls).toContain("unattended-upgrade --dry-run --debug");
  });

  it("says it cannot install the package, and exits 1", () => {
    const root = temp();
    const tools = standIns({ installFails: true });

    const run = sh(ENFORCE, { ROOT: root, PATH: tools.path });
    const parsed = parsePatchOutput(run.stdout);

    expect(run.status).toBe(1);
    expect("result" in parsed && parsed.result.errors).toEqual([
      "cannot install unattended-upgrades (apt-get install failed; see the error output)",
    ]);
  });
});

describe("the document's step", () => {
  it("runs as SSM assembles it, and installs clean-logs.sh byte for byte", () => {
    const root = temp();
    const file = join(temp(), "_script.sh");
    writeFileSync(file, documentScript({ automaticRebootTime: "04:15" }));

    const { run, result } = enforce(root, {}, file);

    expect(run.status).toBe(0);
    expect(result.changed).toEqual(FILES);
    expect(result.settings[`${UU}Automatic-Reboot-Time`]).toBe("04:15");
    expect(readFileSync(join(root, FILES[2] ?? ""), "utf8")).toBe(readFileSync(CLEAN_LOGS, "utf8"));
    expect(readFileSync(join(root, FILES[3] ?? ""), "utf8")).toContain(
      "0 3 * * 0 root /usr/local/sbin/lightsail-auditor-clean-logs",
    );
  });
});

describe("clean-logs.sh", () => {
  const DAY = 86_400;
  const T0 = Date.parse("2024-01-01T00:00:00Z") / 1000;

  /** Creates `rel` under root with its modification time `day` days after 2024-01-01. */
  function file(root: string, rel: string, day: number) {
    const path = join(root, rel);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, `${rel}\n`);
    utimesSync(path, T0 + day * DAY, T0 + day * DAY);
  }
  const list = (root: string, dir: string) => readdirSync(join(root, dir)).sort();

  it("keeps the newest 3 rotated copies of each log, and every live log", () => {
    const root = temp();
    const apache = "opt/bitnami/apache/logs";
    file(root, `${apache}/access_log`, 30);
    for (let d = 1; d <= 7; d++) file(root, `${apache}/access_log-2024010${d}`, d);
    file(root, `${apache}/access_log-20240108.gz`, 8);
    for (let d = 1; d <= 5; d++) file(root, `${apache}/error_log-2024010${d}.gz`, d);
    file(root, `${apache}/error_log`, 30);
    file(root, `${apache}/ssl_request_log`, 30);
    // Numbered rotation: .1 is the newest.
    const mariadb = "opt/bitnami/mariadb/logs";
    file(root, `${mariadb}/mysqld.log`, 30);
    for (let n = 1; n <= 5; n++)
      file(root, `${mariadb}/mysqld.log.${n}${n > 1 ? ".gz" : ""}`, 10 - n);
    // PHP-FPM: a live log and nothing rotated.
    file(root, "opt/bitnami/php/logs/php-fpm.log", 30);

    const run = sh(CLEAN_LOGS, { ROOT: root });

    expect(run.status).toBe(0);
    expect(list(root, apache)).toEqual([
      "access_log",
      "access_log-20240106",
      "access_log-20240107",
      "access_log-20240108.gz",
      "error_log",
      "error_log-20240103.gz",
      "error_log-20240104.gz",
      "error_log-20240105.gz",
      "ssl_request_log",
    ]);
    expect(list(root, mariadb)).toEqual([
      "mysqld.log",
      "mysqld.log.1",
      "mysqld.log.2.gz",
      "mysqld.log.3.gz",
    ]);
    expect(list(root, "opt/bitnami/php/logs")).toEqual(["php-fpm.log"]);
    expect(run.stdout).toMatch(/deleted 9 rotated log\(s\), kept the newest 3 of each log\n$/);
  });

  it("deletes nothing the second time, nor when nothing matches or no log directory exists", () => {
    const root = temp();
    for (let d = 1; d <= 4; d++) file(root, `opt/bitnami/apache/logs/access_log-2024010${d}`, d);
    sh(CLEAN_LOGS, { ROOT: root });

    const again = sh(CLEAN_LOGS, { ROOT: root });
    const empty = sh(CLEAN_LOGS, { ROOT: temp() });

    expect(again).toMatchObject({ status: 0 });
    expect(again.stdout).toContain("deleted 0 rotated log(s)");
    expect(list(root, "opt/bitnami/apache/logs")).toHaveLength(3);
    expect(empty).toMatchObject({ status: 0 });
    expect(empty.stdout).toContain("deleted 0 rotated log(s)");
  });

  it("honours KEEP and rejects a KEEP that is not a number", () => {
    const root = temp();
    for (let d = 1; d <= 4; d++) file(root, `opt/bitnami/mysql/logs/mysqld.log-2024010${d}`, d);

    const one = sh(CLEAN_LOGS, { ROOT: root, KEEP: "1" });
    const bad = sh(CLEAN_LOGS, { ROOT: root, KEEP: "three" });

    expect(one.status).toBe(0);
    expect(list(root, "opt/bitnami/mysql/logs")).toEqual(["mysqld.log-20240104"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("KEEP must be a whole number");
  });
});
