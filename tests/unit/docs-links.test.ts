/**
 * Keeps the docs honest cheaply: every relative link in README.md and docs/*.md points at a file
 * that exists and, when it names an anchor in a Markdown file, at a heading that exists there
 * (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const docs = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/(`+)[^`]*?\1/g, "");
}

/** GitHub's anchor for a heading's text. */
function slug(heading: string): string {
  return heading
    .replace(/<[^>]+>/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor the headings of a Markdown file define. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1] ?? "");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative link targets of a Markdown file: `[text](target)`, not http(s) or mailto. */
function links(markdown: string): string[] {
  const out: string[] = [];
  for (const m of prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] ?? "";
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    out.push(target);
  }
  return out;
}

describe("slug", () => {
  it("makes GitHub's anchors", () => {
    expect(slug("The JSON report, schema 2")).toBe("the-json-report-schema-2");
    expect(slug("`lightsail-audit show`")).toBe("lightsail-audit-show");
    expect(slug("`--only`")).toBe("--only");
    expect(slug("Which node is which instance")).toBe("which-node-is-which-instance");
    expect([...anchors("# A\n## B\n```\n# not a heading\n```\n## B\n")]).toEqual(["a", "b", "b-1"]);
  });
});

describe.each(docs)("links in %s", (file) => {
  const text = readFileSync(join(root, file), "utf8");
  const targets = links(text);

  it.each(targets.length > 0 ? targets : ["(none)"])("%s exists", (target) => {
    if (target === "(none)") return;
    const [path = "", anchor] = target.split("#");
    const resolved = path === "" ? join(root, file) : join(root, dirname(file), path);
    const shown = relative(root, resolved);
    expect(existsSync(resolved), `${file} links to ${target}: no file ${shown}`).toBe(true);
    if (anchor !== undefined && resolved.endsWith(".md")) {
      const defined = anchors(readFileSync(resolved, "utf8"));
      expect(
        defined.has(anchor),
        `${file} links to ${target}: no heading #${anchor} in ${shown}`,
      ).toBe(true);
    }
  });
});
