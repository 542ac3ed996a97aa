import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../shared/checks/index";
import { type CliIo, main } from "../../shared/cli";
import type { AccountReader } from "../../shared/collect/reader";
import type { AuditReport } from "../../shared/model";
import type { PatchCommands, SendCommandRequest } from "../../shared/patching/runner";
import { readerFor } from "../helpers/reader";
import { expectValidReport } from "../helpers/report-schema";
import { instance, managedNode, port, region, rootRow, snapshot } from "../helpers/snapshot";

/** The CLI's streams captured as strings; `reader` stands in for AWS. */
function harness(reader: AccountReader, tty = false, alerting?: CliIo["alerting"]) {
  const out = { text: "" };
  const err = { text: "" };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s), isTTY: tty },
    stderr: { write: (s: string) => (err.text += s), isTTY: tty },
    // Not about WordPress: its inventory (an ERROR per check before the first one) is off.
    env: { WORDPRESS_INVENTORY: "off" },
    reader,
    ...(alerting ? { alerting } : {}),
  };
  return { io, out, err };
}

// One high finding (SSH open) in us-east-1; root is healthy; the instance is SSM-managed.
const account = snapshot({
  lightsail: [
    region("us-east-1", {
      instances: [instance("blog", [port({ fromPort: 22, toPort: 22 })])],
      managedNodes: [managedNode("mi-0123456789abcdef0", "blog")],
    }),
  ],
});
const R = ["--regions", "us-east-1"];

describe("lightsail-audit", () => {
  it("prints the JSON report with --format json", async () => {
    const { io, out } = harness(readerFor(account));
    const code = await main([...R, "--format", "json"], io);
    const report = expectValidReport(JSON.parse(out.text) as AuditReport);
    expect(code).toBe(0);
    expect(report.accountId).toBe("123456789012");
    expect(report.results.find((r) => r.status === "FAIL")?.checkId).toBe(
      "lightsail-instance-ssh-not-public",
    );
  });

  it("prints a plain table with a summary line when stdout is not a terminal", async () => {
    const { io, out } = harness(readerFor(account));
    await main(R, io);
    expect(out.text).toContain("Lightsail audit of account 123456789012");
    expect(out.text).toMatch(/FAIL\s+high\s+lightsail-instance-ssh-not-public\s+us-east-1\/blog/);
    expect(out.text).toMatch(/1 failed \(1 high\), \d+ passed, 0 errors; audit complete\n$/);
    expect(out.text).not.toContain("\x1b[");
  });

  it("colours the table and shows progress on a terminal, unless --no-color", async () => {
    const tty = harness(readerFor(account), true);
    await main(R, tty.io);
    expect(tty.out.text).toContain("\x1b[");
    expect(tty.err.text).toContain("Scanning Lightsail regions: 1/1 (us-east-1 ok)");
    const plain = harness(readerFor(account), true);
    await main([...R, "--no-color"], plain.io);
    expect(plain.out.text).not.toContain("\x1b[");
  });

  it("fits the table to the terminal's columns; keeps lines whole in a pipe", async () => {
    const tty = harness(readerFor(account), true);
    tty.io.stdout = { ...tty.io.stdout, columns: 60 };
    const pipe = harness(readerFor(account));
    pipe.io.stdout = { ...pipe.io.stdout, columns: 60 };

    await main([...R, "--no-color"], tty.io);
    await main([...R, "--no-color"], pipe.io);

    const wide = (text: string) =>
      text.split("\n").filter((l) => l.length > 60 && !l.startsWith("    $ "));
    expect(wide(tty.out.text)).toEqual([]);
    expect(wide(pipe.out.text)).toContainEqual(
      expect.stringMatching(/^FAIL +high +lightsail-instance-ssh-not-public +us-east-1\/blog +SSH/),
    );
  });

  it("prints an error quoting AWS's text on one line, without controls", async () => {
    const forged = Object.assign(new Error("denied\x1b[2J\nFAKE LINE PASS ok\u202e"), {
      name: "AccessDenied",
    });
    const { io, err } = harness(
      readerFor(account, { getCallerIdentity: () => Promise.reject(forged) }),
    );

    expect(await main(R, io)).toBe(1);
    // describeError folds the message's line breaks to spaces; plain() drops the controls.
    expect(err.text).toMatch(/^lightsail-audit: .*denied\[2J( ↵)? FAKE LINE PASS ok.*\n$/);
    expect(err.text.includes("\x1b") || err.text.includes("\u202e")).toBe(false);
  });

  it("exits 2 with --fail-on at or below the worst finding, 0 above it", async () => {
    expect(await main([...R, "--fail-on", "high"], harness(readerFor(account)).io)).toBe(2);
    expect(await main([...R, "--fail-on", "medium"], harness(readerFor(account)).io)).toBe(2);
    expect(await main([...R, "--fail-on", "critical"], harness(readerFor(account)).io)).toBe(0);
  });

  it("exits 3 with --fail-on when the audit was incomplete", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    const reader = readerFor(snapshot(), { getInstances: () => Promise.reject(denied) });
    const { io, out } = harness(reader);
    expect(await main([...R, "--fail-on", "critical"], io)).toBe(3);
    expect(out.text).toContain(
      "us-east-1 lightsail:GetInstances: AccessDeniedException: not authorized",
    );
    expect(out.text).toContain("audit INCOMPLETE (1 collection failure)");
  });

  it("writes --output atomically and says where on stderr", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-"));
    const file = join(dir, "report.md");
    const { io, out, err } = harness(readerFor(account));
    expect(await main([...R, "--format", "markdown", "--output", file], io)).toBe(0);
    expect(out.text).toBe("");
    expect(err.text).toMatch(/^Report written to .*report\.md: 1 failed/);
    expect(await readFile(file, "utf8")).toContain("# Lightsail audit of account 123456789012");
    expect(await readdir(dir)).toEqual(["report.md"]);
  });

  it("--format html writes one HTML document to --output", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-"));
    const file = join(dir, "report.html");
    const { io, out } = harness(readerFor(account));
    expect(await main([...R, "--format", "html", "--output", file], io)).toBe(0);
    expect(out.text).toBe("");
    const html = await readFile(file, "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain("<h1>Lightsail audit of account");
  });

  it("names the bad input in one line and exits 1, without a stack trace", async () => {
    const { io, err } = harness(readerFor(account));
    expect(await main(["--only", "ssh-open"], io)).toBe(1);
    expect(err.text).toMatch(
      /^lightsail-audit: Invalid --only \(CHECKS\): unknown check id "ssh-open" \(valid: .*\)\n$/,
    );
    expect(err.text).not.toContain("    at ");
  });

  it.each([
    ["--regions", "", "audit every region (or pass all)"],
    ["--regions", " , ", "audit every region (or pass all)"],
    ["--only", "", "run every check"],
  ])(
    "rejects %s %j: an explicitly empty list is a mistake, not 'all'",
    async (flag, value, hint) => {
      const { io, out, err } = harness(readerFor(account));
      expect(await main([flag, value], io)).toBe(1);
      expect(err.text).toBe(
        `lightsail-audit: Invalid ${flag}: it is empty; leave it out to ${hint}\n`,
      );
      expect(out.text).toBe("");
    },
  );

  it("rejects an AWS_REGION that is not a region name before reading anything", async () => {
    let calls = 0;
    const reader = readerFor(account, {
      getCallerIdentity: async () => {
        calls += 1;
        return {
          accountId: "123456789012",
          arn: "arn:aws:iam::123456789012:root",
          partition: "aws",
        };
      },
    });
    const { io, out, err } = harness(reader);
    io.env = { AWS_REGION: "mars" };
    expect(await main([...R, "--patching", "dry-run"], io)).toBe(1);
    expect(err.text).toBe(
      'lightsail-audit: Invalid AWS_REGION: "mars" is not an AWS region name (e.g. us-east-1, eu-west-2, cn-north-1, us-gov-west-1)\n',
    );
    expect(out.text).toBe("");
    expect(calls).toBe(0);
  });

  it("rejects numbers that are not plain decimal digits", async () => {
    for (const [flag, value] of [
      ["--root-usage-days", "0x10"],
      ["--root-usage-days", "1e2"],
      ["--renotify-days", "0x10"],
      ["--renotify-days", "7.0"],
    ] as const) {
      const { io, err } = harness(readerFor(account));
      expect(await main([...R, flag, value], io)).toBe(1);
      expect(err.text).toContain(`Invalid ${flag} (`);
      expect(err.text).toContain(`must be a whole number of days from 1 to`);
      expect(err.text).toContain(`got "${value}"`);
    }
  });

  it("rejects an unknown --format or --fail-on value with the valid ones", async () => {
    const a = harness(readerFor(account));
    expect(await main(["--format", "yaml"], a.io)).toBe(1);
    expect(a.err.text).toContain("--format must be one of table, json, markdown, html");
    const b = harness(readerFor(account));
    expect(await main(["--fail-on", "urgent"], b.io)).toBe(1);
    expect(b.err.text).toContain("--fail-on must be one of critical, high, medium, low, info");
  });

  it("says how to provide credentials when there are none", async () => {
    const none = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const { io, err } = harness(
      readerFor(account, { getCallerIdentity: () => Promise.reject(none) }),
    );
    expect(await main(R, io)).toBe(1);
    expect(err.text).toBe(
      "lightsail-audit: No AWS credentials found. Set AWS_PROFILE (after `aws configure` or `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n",
    );
  });

  it("lists the checks, and prints help with examples", async () => {
    const list = harness(readerFor(account));
    expect(await main(["--list-checks"], list.io)).toBe(0);
    expect(list.out.text).toMatch(/^iam-root-not-recently-used\s+high\s+/m);
    expect(list.out.text.trim().split("\n")).toHaveLength(CHECKS.length);
    const help = harness(readerFor(account));
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.out.text).toContain("--fail-on <severity>");
    expect(help.out.text).toContain("Examples:");
  });

  it("says no region was scanned when the checks selected need none, and --help says what --only collects", async () => {
    const table = harness(readerFor(account));
    const help = harness(readerFor(account));

    await main([...R, "--only", "iam-root-mfa-enabled"], table.io);
    await main(["--help"], help.io);

    expect(table.out.text).toContain(
      "no Lightsail region scanned (the selected checks need no per-region data)",
    );
    expect(help.out.text.replace(/\s+/g, " ")).toContain(
      "only the data they read is collected, and patching is off unless --patching is given",
    );
  });

  it("lists PASS results with --verbose", async () => {
    const withRoot = snapshot({ iam: { credentialReport: [rootRow()] } });
    const { io, out } = harness(readerFor(withRoot));
    await main([...R, "--verbose"], io);
    expect(out.text).toMatch(/PASS\s+critical\s+iam-root-mfa-enabled\s+<root_account>/);
  });

  it("--preview-alert prints the subject, the email and the SMS instead of the report, and sends nothing", async () => {
    const sent: string[] = [];
    const { io, out, err } = harness(readerFor(account), false, {
      publish: async (a) => {
        sent.push(a.subject);
        return "id";
      },
    });
    expect(await main([...R, "--preview-alert"], io)).toBe(0);
    expect(out.text).toMatch(
      /^Subject: \[lightsail-auditor\] 1 new finding \(1 high\) in account 123456789012\n/,
    );
    expect(out.text).toContain(
      "FAILED: SSH is not open to the whole internet [lightsail-instance-ssh-not-public]",
    );
    expect(out.text).toMatch(
      /--- SMS ---\nLightsail audit 123456789012: 1 new \(1 high\)\. FAILED: /,
    );
    expect(out.text).not.toContain("STATUS  SEVERITY");
    expect(sent).toEqual([]);
    expect(err.text).toBe("Preview only: nothing was sent.\n");
  });

  it("--notify publishes once to the topic, then prints the report", async () => {
    const sent: string[] = [];
    const topic = ["--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts"];
    const { io, out, err } = harness(readerFor(account), false, {
      publish: async (a) => {
        sent.push(a.subject);
        return "m-1";
      },
    });
    expect(await main([...R, ...topic, "--notify"], io)).toBe(0);
    expect(sent).toEqual(["[lightsail-auditor] 1 new finding (1 high) in account 123456789012"]);
    expect(err.text).toContain("Alert published (message m-1)");
    expect(out.text).toContain("Lightsail audit of account 123456789012");
  });

  it("--notify without a topic says how to give one", async () => {
    const { io, err } = harness(readerFor(account));
    expect(await main([...R, "--notify"], io)).toBe(1);
    expect(err.text).toBe(
      "lightsail-audit: --notify needs a topic: pass --topic-arn or set TOPIC_ARN\n",
    );
  });

  it("--suppressions mutes a matching finding; a bad file is named", async () => {
    const dir = await mkdtemp(join(tmpdir(), "supp-"));
    const file = join(dir, "suppressions.json");
    await writeFile(
      file,
      JSON.stringify([
        {
          checkId: "lightsail-instance-ssh-not-public",
          resource: "us-east-1/blog",
          reason: "bastion host",
          expires: "2999-12-31",
        },
      ]),
    );
    const ok = harness(readerFor(account));
    expect(await main([...R, "--format", "json", "--suppressions", file], ok.io)).toBe(0);
    const muted = (JSON.parse(ok.out.text) as AuditReport).results.filter(
      (r) => r.status === "MUTED",
    );
    expect(muted.map((r) => [r.resource.name, r.suppressedBy?.reason])).toEqual([
      ["blog", "bastion host"],
    ]);

    await writeFile(
      file,
      JSON.stringify([
        { checkId: "lightsail-instance-ssh-not-public", resource: "*", expires: "2999-12-31" },
      ]),
    );
    const bad = harness(readerFor(account));
    expect(await main([...R, "--suppressions", file], bad.io)).toBe(1);
    expect(bad.err.text).toMatch(/suppressions\.json: suppression #1 reason: needs a reason\n$/);
  });

  it("--check-suppressions rejects a past date that a run would merely report as expired", async () => {
    const dir = await mkdtemp(join(tmpdir(), "supp-"));
    const file = join(dir, "s.json");
    const entry = {
      checkId: "lightsail-instance-ssh-not-public",
      resource: "bastion",
      reason: "jump host",
    };
    await writeFile(file, JSON.stringify([{ ...entry, expires: "2020-01-31" }]));
    const strict = harness(readerFor(account));
    expect(await main(["--check-suppressions", "--suppressions", file], strict.io)).toBe(1);
    expect(strict.err.text).toContain(
      "suppression #1 (lightsail-instance-ssh-not-public bastion) expired on 2020-01-31; remove it or set a future date",
    );
    const run = harness(readerFor(account));
    expect(await main([...R, "--format", "json", "--suppressions", file], run.io)).toBe(0);
    expect((JSON.parse(run.out.text) as AuditReport).expiredSuppressions).toEqual([
      { ...entry, expires: "2020-01-31" },
    ]);

    await writeFile(file, JSON.stringify([{ ...entry, expires: "2999-01-31" }]));
    const valid = harness(readerFor(account));
    expect(await main(["--check-suppressions", "--suppressions", file], valid.io)).toBe(0);
    expect(valid.out.text).toBe(`${file}: 1 suppression, all valid and current\n`);
  });

  describe("patching", () => {
    const optedIn = snapshot({
      lightsail: [
        region("us-east-1", {
          instances: [
            instance("blog", undefined, { tags: [{ key: "auto-patch", value: "true" }] }),
          ],
          managedNodes: [managedNode("mi-0123456789abcdef0", "blog")],
        }),
      ],
    });
    /** Records what is sent; every invocation is still running. */
    function commands() {
      const sent: SendCommandRequest[] = [];
      const impl: PatchCommands = {
        sendCommand: async (request) => {
          sent.push(request);
          return "command-1";
        },
        getCommandInvocation: async () => ({ status: "InProgress", output: "" }),
      };
      return { impl, sent };
    }

    it("plans but sends nothing by default (dry-run), and shows the plan", async () => {
      const c = commands();
      const { io, out } = harness(readerFor(optedIn));
      io.patchCommands = c.impl;

      expect(await main(R, io)).toBe(0);

      expect(c.sent).toEqual([]);
      expect(out.text).toContain(
        "Patching (dry-run, document lightsail-auditor-prod-enforce-patching in us-east-1): would run on 1 instance; skipped 0 (0 not opted in)",
      );
    });

    it("--only makes no patching plan (nor reads what it needs) unless --patching is given", async () => {
      // Prepare
      const asked: string[] = [];
      const reader = readerFor(optedIn, {
        getManagedNodes: async () => {
          asked.push("getManagedNodes");
          return [];
        },
      });
      const only = harness(reader);
      const explicit = harness(readerFor(optedIn));

      // Act
      await main([...R, "--format", "json", "--only", "iam-root-mfa-enabled"], only.io);
      await main(
        [...R, "--format", "json", "--only", "iam-root-mfa-enabled", "--patching", "dry-run"],
        explicit.io,
      );

      // Assess
      expect((JSON.parse(only.out.text) as AuditReport).patching).toBeUndefined();
      expect(asked).toEqual([]);
      const plan = (JSON.parse(explicit.out.text) as AuditReport).patching?.plan ?? [];
      expect(plan.map((e) => `${e.instance.name} ${e.action}`)).toEqual(["blog send"]);
    });

    it("--patching enforce sends to the opted-in instance and reports its outcome", async () => {
      const c = commands();
      const { io, out } = harness(readerFor(optedIn));
      Object.assign(io, {
        patchCommands: c.impl,
        patchWaitMs: 0,
        env: { AWS_REGION: "us-east-1", WORDPRESS_INVENTORY: "off" },
      });

      const code = await main(
        [...R, "--format", "json", "--patching", "enforce", "--patch-document", "my-patching-doc"],
        io,
      );
      const report = expectValidReport(JSON.parse(out.text) as AuditReport);

      expect(code).toBe(0);
      expect(c.sent.map((s) => [s.region, s.documentName, s.instanceIds])).toEqual([
        ["us-east-1", "my-patching-doc", ["mi-0123456789abcdef0"]],
      ]);
      // No time to wait was given: the run is reported pending, for the next audit to read.
      expect(report.patching?.outcomes.map((o) => [o.instance.name, o.status])).toEqual([
        ["blog", "pending"],
      ]);
    });

    it("--patch-targets all includes instances without the tag", async () => {
      const untagged = snapshot({
        lightsail: [
          region("us-east-1", {
            instances: [instance("blog")],
            managedNodes: [managedNode("mi-0123456789abcdef0", "blog")],
          }),
        ],
      });
      const { io, out } = harness(readerFor(untagged));
      io.patchCommands = commands().impl;

      await main([...R, "--format", "json", "--patch-targets", "all"], io);

      expect((JSON.parse(out.text) as AuditReport).patching?.plan.map((e) => e.action)).toEqual([
        "send",
      ]);
    });

    it("--patching off leaves the patching section out", async () => {
      const { io, out } = harness(readerFor(optedIn));

      await main([...R, "--format", "json", "--patching", "off"], io);

      expect((JSON.parse(out.text) as AuditReport).patching).toBeUndefined();
    });

    it("fix never sends patching commands, even with PATCHING=enforce", async () => {
      const c = commands();
      const { io, out } = harness(readerFor(optedIn));
      Object.assign(io, { patchCommands: c.impl, patchWaitMs: 0, env: { PATCHING: "enforce" } });

      expect(await main(["fix", "--plan", ...R], io)).toBe(0);

      expect(c.sent).toEqual([]);
      expect(out.text).toContain("FIXES (dry-run)");
    });

    it("rejects a bad mode naming the flag and the variable", async () => {
      const { io, err } = harness(readerFor(optedIn));

      expect(await main(["--patching", "yes"], io)).toBe(1);
      expect(err.text).toBe(
        'lightsail-audit: Invalid --patching (PATCHING): must be one of off, dry-run, enforce, got "yes"\n',
      );
    });
  });

  it("--remediation dry-run adds the plan to the report; enforce is refused: fixes are applied with fix --apply", async () => {
    const plan = harness(readerFor(account));
    const code = await main(
      [...R, "--format", "json", "--remediation", "dry-run", "--allowed-ssh-cidrs", "203.0.113.7"],
      plan.io,
    );
    const enforce = harness(readerFor(account));

    expect(code).toBe(0);
    expect(expectValidReport(JSON.parse(plan.out.text) as AuditReport).remediation).toMatchObject({
      mode: "dry-run",
      planned: [{ kind: "restrict-ssh", resource: { name: "blog" } }],
      applied: [],
    });
    expect(await main([...R, "--remediation", "enforce"], enforce.io)).toBe(1);
    expect(enforce.err.text).toMatch(
      /^lightsail-audit: Invalid --remediation \(REMEDIATION\): enforce makes changes, which the audit command never does: run `lightsail-audit fix --apply`/,
    );
  });

  it("fix needs --plan or --apply; --plan prints the plan; undo needs the state table", async () => {
    const neither = harness(readerFor(account));
    const plan = harness(readerFor(account));
    const undo = harness(readerFor(account));

    expect(await main(["fix"], neither.io)).toBe(1);
    expect(await main(["fix", "--plan", ...R], plan.io)).toBe(0);
    expect(await main(["undo", "--change", "3f9a2c81b7d0"], undo.io)).toBe(1);

    expect(neither.err.text).toBe(
      "lightsail-audit: fix needs exactly one of --plan (show the changes, make none) and --apply (make them)\n",
    );
    expect(plan.out.text).toContain("1 failed (1 high)");
    expect(plan.out.text).toContain(
      "- us-east-1/blog [lightsail-instance-ssh-not-public]: allowedSshCidrs is not set, so SSH is never changed",
    );
    expect(undo.err.text).toMatch(/^lightsail-audit: undo needs the state table/);
  });

  it("the help lists the fix and undo commands", async () => {
    const help = harness(readerFor(account));
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.out.text).toMatch(/Commands:\n\s+fix \[options\]/);
    expect(help.out.text).toMatch(/\n\s+undo \[options\]/);
  });

  it("never enforces patching because PATCHING=enforce is in the environment; only the flag does", async () => {
    const { io, err } = harness(readerFor(account));
    io.env = { PATCHING: "enforce" };
    expect(await main(R, io)).toBe(1);
    expect(err.text).toBe(
      "lightsail-audit: PATCHING=enforce comes from the environment: the CLI enforces patching only with an explicit --patching enforce\n",
    );
  });
});

describe("lightsail-audit show", () => {
  /** A report the CLI wrote, stored compact as the report bucket keeps it. */
  async function storedReport(): Promise<{ file: string; report: AuditReport }> {
    const { io, out } = harness(readerFor(account));
    expect(await main([...R, "--format", "json"], io)).toBe(0);
    const report = JSON.parse(out.text) as AuditReport;
    const file = join(await mkdtemp(join(tmpdir(), "show-")), "latest.json");
    await writeFile(file, `${JSON.stringify(report)}\n`);
    return { file, report };
  }

  it("renders a stored report in each format without auditing (no reader is asked anything)", async () => {
    const { file, report } = await storedReport();
    const untouchable = new Proxy({} as AccountReader, {
      get: () => () => Promise.reject(new Error("show must not call AWS")),
    });

    const json = harness(untouchable);
    const markdown = harness(untouchable);
    const table = harness(untouchable);
    const html = harness(untouchable);
    expect(await main(["show", file, "--format", "json"], json.io)).toBe(0);
    expect(await main(["show", file, "--format", "html"], html.io)).toBe(0);
    expect(await main(["show", file, "--format", "markdown"], markdown.io)).toBe(0);
    expect(await main(["show", file], table.io)).toBe(0);

    expect(JSON.parse(json.out.text)).toEqual(report);
    expect(markdown.out.text).toContain(`# Lightsail audit of account ${report.accountId}`);
    expect(markdown.out.text).toContain("lightsail-instance-ssh-not-public");
    expect(table.out.text).toMatch(/^FAIL +high +lightsail-instance-ssh-not-public/m);
    expect(html.out.text).toMatch(/^<!DOCTYPE html>/);
    expect(html.out.text).toContain(`<code>lightsail-instance-ssh-not-public</code>`);
  });

  it("reads standard input with -", async () => {
    const { file, report } = await storedReport();
    const { io, out } = harness(readerFor(account));
    const stdin = Readable.from([await readFile(file)]) as NodeJS.ReadableStream;

    expect(await main(["show", "-", "--format", "json"], { ...io, stdin })).toBe(0);
    expect(JSON.parse(out.text)).toEqual(report);
  });

  it("refuses a schema 1 report, and what is not JSON, naming the file", async () => {
    const { file, report } = await storedReport();
    const old = { ...report, schemaVersion: 1 };
    await writeFile(file, JSON.stringify(old));
    const schema1 = harness(readerFor(account));
    const notJson = harness(readerFor(account));
    const notJsonFile = `${file}.txt`;
    await writeFile(notJsonFile, "<html>");

    expect(await main(["show", file], schema1.io)).toBe(1);
    expect(await main(["show", notJsonFile], notJson.io)).toBe(1);

    expect(schema1.err.text).toBe(
      `lightsail-audit: ${file} is a schema 1 report; this version reads schema 2 only (schema 1 was written before check text moved to \`checks\`): run the audit again for a current report\n`,
    );
    expect(notJson.err.text).toMatch(new RegExp(`^lightsail-audit: ${notJsonFile} is not JSON: `));
  });
});
