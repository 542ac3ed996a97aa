import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKS_DOC, checksMarkdown } from "../../scripts/checks-doc";
import { CHECKS } from "../../shared/checks/index";

describe("docs/checks.md", () => {
  it("is what the registry generates (run `npm run docs:checks` when this fails)", () => {
    expect(readFileSync(CHECKS_DOC, "utf8")).toBe(checksMarkdown());
  });

  it("has a section per check with its risk, fix, CIS references and the facts it reads", () => {
    const doc = checksMarkdown();
    for (const c of CHECKS) {
      const start = doc.indexOf(`## \`${c.id}\``);
      expect(start, c.id).toBeGreaterThan(0);
      const body = doc.slice(start, doc.indexOf("\n## ", start + 1) >>> 0);
      expect(body).toContain("**Risk.**");
      expect(body).toContain("**How to fix.**");
      expect(body).toContain(`(\`${c.reads[0]}\`)`);
      for (const ref of c.cis ?? []) expect(body).toContain(ref);
    }
  });
});
