/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): the demo
 * account's report, audited over HTTP against the local fake, shows what its JSON says, makes no
 * request, logs no error, filters, fits a 375 px phone, works without JavaScript, and passes
 * axe-core; the hostile account's text is shown as text and runs nothing. The screenshots are
 * made again (to a temporary directory) and must show the page.
 */
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshots } from "../../scripts/html-screenshots";
import { type AuditReport, SEVERITY_ORDER } from "../../shared/model";
import { accountEntry, buildOrgReport } from "../../shared/org/report";
import { CONTENT_SECURITY_POLICY, renderHtml, renderOrgHtml } from "../../shared/report/html";
import { launchBrowser, openHtml } from "../helpers/browser";
import { demoReport, demoTrend } from "../helpers/demo-report";
import { hostile, hostileReport, PAYLOAD } from "../helpers/hostile";

const axeSource = await readFile(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

let browser: Browser;
let report: AuditReport;
let html: string;

beforeAll(async () => {
  [browser, report] = await Promise.all([launchBrowser(), demoReport()]);
  html = renderHtml(report, { trend: demoTrend(report) });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const fails = () => report.results.filter((r) => r.status === "FAIL");

describe("the demo account's HTML report in chromium", () => {
  it("shows the JSON report's counts and failing checks, with no request and no console error", async () => {
    const { page, requests, blocked, errors, close } = await openHtml(browser, html);
    try {
      expect(await page.locator("h1").textContent()).toBe(
        `Lightsail audit of account ${report.accountId}`,
      );
      for (const s of SEVERITY_ORDER) {
        expect(await page.locator(`.tiles li.${s} b`).textContent(), s).toBe(
          String(report.summary.failBySeverity[s]),
        );
      }
      expect(await page.locator(".tiles li.pass b").textContent()).toBe(
        String(report.summary.byStatus.PASS),
      );
      // Each failing check once, with as many findings as the JSON has FAIL results for it.
      const ids = await page.locator("article.check header code").allInnerTexts();
      const expected = new Map<string, number>();
      for (const r of fails()) expected.set(r.checkId, (expected.get(r.checkId) ?? 0) + 1);
      expect(new Set(ids)).toEqual(new Set(expected.keys()));
      expect(ids).toHaveLength(expected.size);
      for (const [id, n] of expected) {
        const article = page.locator("article.check", {
          has: page.locator(`code:text-is("${id}")`),
        });
        expect(await article.locator(".findings > li").count(), id).toBe(n);
        expect(await article.locator("h3").textContent()).toBe(report.checks[id]?.title);
      }
      // The charts: one bar row per failing check and per region with findings.
      expect(await page.locator(".charts figure").first().locator(".bars li").count()).toBe(
        expected.size,
      );
      expect(await page.locator(".trend svg polyline").count()).toBeGreaterThan(0);
      expect(await page.locator("#filter output").textContent()).toBe(
        `${fails().length} of ${fails().length} findings shown`,
      );
      expect(requests).toEqual([]);
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      // The demo report, with its 30-run trend, in one file under 200 KB (85 KB when measured).
      expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024);
    } finally {
      await close();
    }
  });

  it("filters the findings by text and by severity", async () => {
    const { page, errors, close } = await openHtml(browser, html);
    try {
      const visible = () => page.locator("article.check:visible .findings > li:visible");
      await page.getByRole("searchbox").fill("wordpress-blog");
      const blog = fails().filter(
        (r) =>
          `${r.resource.region}/${r.resource.name}`.includes("wordpress-blog") ||
          r.message.includes("wordpress-blog"),
      );
      expect(await visible().count()).toBe(blog.length);
      for (const text of await visible().allInnerTexts()) expect(text).toContain("wordpress-blog");

      await page.getByRole("searchbox").fill("");
      await page.getByLabel("high", { exact: true }).uncheck();
      const notHigh = fails().filter((r) => r.severity !== "high");
      expect(await visible().count()).toBe(notHigh.length);
      // A finding's own severity counts (wordpress-core-not-insecure is critical or medium).
      expect(await page.locator('.findings > li[data-severity="high"]:visible').count()).toBe(0);
      expect(await page.locator("#filter output").textContent()).toBe(
        `${notHigh.length} of ${fails().length} findings shown`,
      );
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("sorts the failing checks by number of findings or id, and back by severity", async () => {
    const { page, errors, close } = await openHtml(browser, html);
    try {
      const order = () => page.locator("article.check header code").allTextContents();
      const bySeverity = await order();
      const count = new Map<string, number>();
      for (const r of fails()) count.set(r.checkId, (count.get(r.checkId) ?? 0) + 1);

      await page.getByLabel("Sort").selectOption("count");
      const byCount = await order();
      expect(byCount.map((id) => count.get(id))).toEqual(
        [...byCount.map((id) => count.get(id) ?? 0)].sort((a, b) => b - a),
      );
      await page.getByLabel("Sort").selectOption("id");
      expect(await order()).toEqual([...bySeverity].sort());
      await page.getByLabel("Sort").selectOption("severity");
      expect(await order()).toEqual(bySeverity);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("is readable with JavaScript off: every finding shown, no filter", async () => {
    const { page, close } = await openHtml(browser, html, { javaScriptEnabled: false });
    try {
      expect(await page.locator("#filter").isVisible()).toBe(false);
      expect(await page.locator(".findings > li:visible").count()).toBe(fails().length);
    } finally {
      await close();
    }
  });

  it("prints without the filter and with the collapsed parts open", async () => {
    const { page, close } = await openHtml(browser, html);
    try {
      const passes = page.locator("section[aria-labelledby=passed] table");
      expect(await passes.isVisible()).toBe(false);
      await page.emulateMedia({ media: "print" });
      expect(await passes.isVisible()).toBe(true);
      expect(await page.locator(".trend table").isVisible()).toBe(true);
      expect(await page.locator("#filter").isVisible()).toBe(false);
      const pdf = await page.pdf();
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    } finally {
      await close();
    }
  });

  it.each(["light", "dark"] as const)(
    "fits a 375 px phone screen without sideways scrolling (%s)",
    async (colorScheme) => {
      const { page, close } = await openHtml(browser, html, {
        viewport: { width: 375, height: 812 },
        colorScheme,
      });
      try {
        const [scroll, client] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          document.documentElement.clientWidth,
        ]);
        expect(client).toBe(375);
        expect(scroll).toBeLessThanOrEqual(client);
      } finally {
        await close();
      }
    },
  );

  it.each(["light", "dark"] as const)(
    "has no serious or critical axe-core violation (%s)",
    async (colorScheme) => {
      // axe is injected by the test, so this one context bypasses the page's CSP.
      const { page, close } = await openHtml(browser, html, { bypassCSP: true, colorScheme });
      try {
        await page.evaluate(axeSource);
        // Open the collapsed parts so their content is checked too.
        await page.evaluate(() => {
          for (const d of document.querySelectorAll("details")) d.open = true;
        });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run: () => Promise<{
                  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe;
          const result = await axe.run();
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
          }));
        });
        expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual(
          [],
        );
      } finally {
        await close();
      }
    },
  );

  it("makes the screenshots again (desktop and phone), and they show the page", async () => {
    const dir = await mkdtemp(join(tmpdir(), "html-shots-"));

    const files = await screenshots(browser, html, dir);

    expect(Object.keys(files).sort()).toEqual(["desktop", "phone"]);
    for (const file of Object.values(files)) {
      const png = await readFile(file);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      // A blank page compresses to a few kilobytes; the report's page does not.
      expect((await stat(file)).size).toBeGreaterThan(30_000);
    }
  });
});

describe("the recorders and the CSP (the tests above are not vacuous)", () => {
  it("records a request, a console error and a dialog on a page that makes them", async () => {
    const page = `<!DOCTYPE html><html lang="en"><title>t</title><img src="http://127.0.0.1:9/x.png" alt="x"><script>console.error("boom");alert("hi")</script></html>`;
    const { requests, errors, dialogs, close } = await openHtml(browser, page);
    await close();
    expect(requests).toEqual(["http://127.0.0.1:9/x.png"]);
    expect(errors.some((e) => e.includes("boom"))).toBe(true);
    expect(dialogs).toEqual(["hi"]);
  });

  it("the report's CSP blocks an unescaped handler, script and image, should one ever slip through", async () => {
    const page = renderHtml(report).replace(
      "<main>",
      `<main><img src="http://127.0.0.1:9/x.png" onerror="alert(1)" alt="x"><script>alert(2)</script><p onclick="alert(3)">p</p>`,
    );
    const { page: p, requests, blocked, errors, dialogs, close } = await openHtml(browser, page);
    try {
      await p.locator("p[onclick]").click();
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(blocked).toEqual(["http://127.0.0.1:9/x.png"]);
      expect(errors.join("\n")).toContain("Content Security Policy");
      expect(page).toContain(CONTENT_SECURITY_POLICY);
    } finally {
      await close();
    }
  });
});

describe("the hostile account's HTML report in chromium", () => {
  it("shows every hostile string as text, runs no script of it, loads nothing, fits a phone", async () => {
    const bad = renderHtml(await hostileReport(hostile, "enforce"));
    const { page, requests, blocked, errors, dialogs, close } = await openHtml(browser, bad, {
      viewport: { width: 375, height: 812 },
    });
    try {
      const text = await page.locator("body").textContent();
      expect(text).toContain("<img src=x onerror=alert(1)><script>alert(1)</script>");
      expect(text).toContain("[click](https://evil.example/x)");
      expect(await page.locator("img").count()).toBe(0);
      expect(await page.locator("script").count()).toBe(1);
      expect(await page.locator("a").count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      const [scroll, client] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      expect(scroll).toBeLessThanOrEqual(client);
      // The payload was rendered at all (the test is not vacuous).
      expect(bad).toContain("FAKE LINE PASS ok");
      expect(PAYLOAD).toContain("<script>");
    } finally {
      await close();
    }
  });
});

describe("the organization's HTML report in chromium (accounts × checks)", () => {
  /** The demo account, and a hostile one whose names and messages carry the payload. */
  async function orgHtml() {
    const bad = await hostileReport(hostile, "enforce");
    const org = buildOrgReport({
      organizationId: "o-ab12cd34ef",
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      roleName: "lightsail-auditor-member",
      selection: { accounts: "organization", organizationalUnits: [], excludeAccounts: [] },
      accounts: [
        accountEntry(report, { id: report.accountId, name: "demo" }),
        accountEntry(
          { ...bad, accountId: "210987654321" },
          { id: "210987654321", name: hostile("client") },
        ),
      ],
      notAudited: [
        {
          id: "200000000011",
          name: hostile("gone"),
          reason: "suspended",
          message: "The account is SUSPENDED in the organization: it cannot be audited",
        },
      ],
    });
    return { org, html: renderOrgHtml(org) };
  }

  it("shows one row per audited account and each check's worst outcome, loads nothing, fits a phone", async () => {
    const { org, html: page375 } = await orgHtml();
    const { page, requests, blocked, errors, dialogs, close } = await openHtml(browser, page375, {
      viewport: { width: 375, height: 812 },
    });
    try {
      const demo = org.accounts.find((a) => a.accountId === report.accountId);
      const columns = await page
        .locator("table.grid thead abbr")
        .evaluateAll((els) => els.map((e) => e.getAttribute("title") ?? ""));
      expect(await page.locator("table.grid tbody tr").count()).toBe(org.accounts.length);
      // The demo account's row: each column's cell from its JSON (worst FAIL severity, E, m, ·).
      const row = page.locator("table.grid tbody tr", { hasText: report.accountId });
      const cells = await row.locator("td").allInnerTexts();
      const letter = {
        critical: "C",
        high: "H",
        medium: "M",
        low: "L",
        info: "I",
        error: "E",
        muted: "m",
      };
      expect(cells).toEqual(
        columns.map((id) => (demo?.checks?.[id] ? letter[demo.checks[id]] : "·")),
      );
      expect(cells.filter((c) => c !== "·").length).toBeGreaterThan(5);
      // Hostile names are text; nothing ran or loaded; only the grid scrolls sideways, not the page.
      expect(await page.locator("body").textContent()).toContain("<script>alert(1)</script>");
      expect(await page.locator("script").count()).toBe(1);
      expect(await page.locator("img").count()).toBe(0);
      expect([dialogs, requests, blocked, errors]).toEqual([[], [], [], []]);
      const [scroll, client] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      expect(scroll).toBeLessThanOrEqual(client);
    } finally {
      await close();
    }
  });

  it.each(["light", "dark"] as const)(
    "has no serious or critical axe-core violation (%s)",
    async (colorScheme) => {
      const { html: orgPage } = await orgHtml();
      const { page, close } = await openHtml(browser, orgPage, { bypassCSP: true, colorScheme });
      try {
        await page.evaluate(axeSource);
        await page.evaluate(() => {
          for (const d of document.querySelectorAll("details")) d.open = true;
        });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> };
            }
          ).axe;
          return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact }));
        });
        expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual(
          [],
        );
      } finally {
        await close();
      }
    },
  );
});
