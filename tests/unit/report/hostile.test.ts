/**
 * Text from the account reaches a terminal, an email, an SMS and a Markdown file: nothing in it may
 * drive the terminal, reorder what is shown, forge a line, or become Markdown or HTML (DESIGN
 * rule 7). Each renderer is run on the hostile account and on its benign twin.
 */
import { describe, expect, it } from "vitest";
import type { AuditReport } from "../../../shared/model";
import { renderEmail, renderSms } from "../../../shared/notify/render";
import { renderHtml } from "../../../shared/report/html";
import { renderMarkdown } from "../../../shared/report/markdown";
import { remediationLines } from "../../../shared/report/remediation";
import { patchingLines } from "../../../shared/report/summary";
import { renderTable } from "../../../shared/report/table";
import { markdownText, plain } from "../../../shared/report/text";
import {
  benign,
  hostile,
  hostileDiff,
  hostileReport,
  type Mark,
  PAYLOAD,
} from "../../helpers/hostile";

/** C0 but newline, DEL, C1, bidi embeddings/overrides/isolates/marks, line/paragraph separators. */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not survive
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

type Renderer = (report: AuditReport, h: Mark) => string;

const email: Renderer = (report, h) =>
  renderEmail({
    report,
    diff: hostileDiff(report, h),
    smsMinSeverity: "high",
    onDemandHint: "npx lightsail-audit",
    reportLocation: { error: h("AccessDenied: s3:PutObject") },
  });

const RENDERERS: Record<string, Renderer> = {
  table: (r) => renderTable(r, { color: false, verbose: true }),
  "fix --plan (remediationLines)": (r) =>
    r.remediation ? `${remediationLines(r.remediation).join("\n")}\n` : "",
  "patching lines": (r) => `${patchingLines(r.patching).join("\n")}\n`,
  email,
  markdown: (r) => renderMarkdown(r),
  html: (r) => renderHtml(r),
};

async function both(render: Renderer, mode: "dry-run" | "enforce") {
  return {
    bad: render(await hostileReport(hostile, mode), hostile),
    good: render(await hostileReport(benign, mode), benign),
  };
}

describe.each(["dry-run", "enforce"] as const)("hostile account text (fixes %s)", (mode) => {
  it("the hostile account's text is in every rendering (the test is not vacuous)", async () => {
    for (const render of Object.values(RENDERERS)) {
      const { bad, good } = await both(render, mode);
      expect(bad).toContain("FAKE LINE PASS ok");
      expect(good).not.toContain("FAKE");
    }
  });

  it.each(Object.keys(RENDERERS))("%s: no control character, no bidi control", async (name) => {
    const { bad } = await both(RENDERERS[name] as Renderer, mode);
    expect(bad).not.toMatch(UNSAFE);
  });

  it.each(Object.keys(RENDERERS))("%s: no forged line", async (name) => {
    const { bad, good } = await both(RENDERERS[name] as Renderer, mode);
    const badLines = bad.split("\n");
    const goodLines = good.split("\n");

    expect(badLines).toHaveLength(goodLines.length);
    expect(badLines.filter((l) => /^\W*FAKE/.test(l))).toEqual([]);
    // Each line begins as its benign twin does: account text never starts a line of its own.
    badLines.forEach((line, i) => {
      const twin = goodLines[i] ?? "";
      expect(line.slice(0, 4), `line ${i + 1}`).toBe(twin.slice(0, 4));
    });
  });
});

/** Counts of each Markdown-active character not escaped by a backslash, outside code fences. */
function active(md: string): Record<string, number> {
  const prose = md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
  const counts: Record<string, number> = {};
  let escaped = false;
  for (let i = 0; i < prose.length; i++) {
    const c = prose[i] ?? "";
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c === "\\") {
      escaped = true;
      continue;
    }
    // An entity we wrote (`&lt;`) is text; any other `&` could start one.
    if (c === "&" && /^&(amp|lt|gt);/.test(prose.slice(i, i + 5))) continue;
    const key = c === "]" && prose[i + 1] === "(" ? "](" : c;
    if ("`*_[]()|~!#$<>&".includes(c) || key === "](") counts[key] = (counts[key] ?? 0) + 1;
  }
  counts["://"] = prose.split(/(?<!\\):\/\//).length - 1;
  counts["www."] = prose.split(/www\./i).length - 1;
  return counts;
}

describe("markdown: account text is text", () => {
  it.each(["dry-run", "enforce"] as const)(
    "adds no unescaped Markdown or HTML (fixes %s)",
    async (mode) => {
      const bad = renderMarkdown(await hostileReport(hostile, mode));
      const good = renderMarkdown(await hostileReport(benign, mode));

      expect(bad).toContain("&lt;script&gt;");
      expect(active(bad)).toEqual(active(good));
      // Outside code blocks there is no raw `<` at all, ours included (`<instance-name>`).
      expect(active(good)["<"]).toBeUndefined();
    },
  );
});

/** Every tag and attribute name in the document, counted: account text must add none. */
function markup(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, tag = "", attrs = ""] of html.matchAll(/<(\/?[a-zA-Z!][\w-]*)([^>]*)>/g)) {
    counts[tag] = (counts[tag] ?? 0) + 1;
    for (const [, name = ""] of attrs.matchAll(/\s([\w:-]+)=/g)) {
      counts[`@${name}`] = (counts[`@${name}`] ?? 0) + 1;
    }
  }
  return counts;
}

describe("html: account text is text", () => {
  it.each(["dry-run", "enforce"] as const)(
    "adds no tag, attribute or entity of its own (fixes %s)",
    async (mode) => {
      const bad = renderHtml(await hostileReport(hostile, mode));
      const good = renderHtml(await hostileReport(benign, mode));

      expect(bad).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(bad).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(markup(bad)).toEqual(markup(good));
      expect(bad.match(/<script/g)).toHaveLength(1);
      expect(Object.keys(markup(bad)).filter((k) => /^@on/i.test(k))).toEqual([]);
      // A quote cannot end an attribute value: `"` and `'` from the account are entities.
      expect(bad).not.toContain('"blog');
    },
  );
});

describe("SMS", () => {
  it("is printable ASCII on one line, however hostile the names", async () => {
    const full = await hostileReport(hostile);
    // Without the WordPress findings, whose critical one (a check title) fills the SMS first.
    const report = {
      ...full,
      results: full.results.filter((r) => !r.checkId.startsWith("wordpress-")),
    };
    const input = {
      report,
      diff: hostileDiff(report, hostile),
      smsMinSeverity: "high" as const,
      onDemandHint: "",
    };

    const sms = renderSms(input);

    expect(sms).toMatch(/^[\x20-\x7e]+$/);
    expect(sms).toContain("alice2J0;pwned"); // the payload got in, its controls did not
  });
});

describe("plain and markdownText", () => {
  it("plain folds every line break to a visible mark and drops the rest", () => {
    expect(plain("a\r\nb\nc\rd\u2028e\u0085f\tg\x1b[2Jh\u202ei\x9bj\x7fk")).toBe(
      "a ↵ b ↵ c ↵ d ↵ e ↵ f g[2Jhijk",
    );
    expect(plain("Root has MFA — ok")).toBe("Root has MFA — ok");
  });

  it("markdownText escapes HTML, links, emphasis, code and cells", () => {
    expect(markdownText("<img src=x onerror=alert(1)> [a](https://e.x) *b* _c_ `d` | \\")).toBe(
      "&lt;img src=x onerror=alert\\(1\\)&gt; \\[a\\]\\(https\\://e.x\\) \\*b\\* \\_c\\_ \\`d\\` \\| \\\\",
    );
    expect(markdownText("www.evil.example & co")).toBe("www\\.evil.example &amp; co");
    expect(markdownText(PAYLOAD)).not.toMatch(UNSAFE);
  });
});
