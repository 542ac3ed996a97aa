/**
 * `npm run docs:screenshots`: the demo account's HTML report (audited over HTTP against the local
 * fake, with a 30-run trend) in Debian's chromium, as docs/html-report-desktop.png and
 * docs/html-report-phone.png (shown in the README). tests/integration/html-report.test.ts makes
 * them again in a temporary directory and fails when the page no longer renders.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { renderHtml } from "../shared/report/html";
import { launchBrowser, openHtml } from "../tests/helpers/browser";
import { demoReport, demoTrend } from "../tests/helpers/demo-report";

/** The top of the page on a laptop, and on a phone. */
const SHOTS = {
  desktop: { viewport: { width: 1280, height: 1480 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 },
} as const;

/** Writes `<dir>/html-report-<name>.png` for each shot; returns their paths by name. */
export async function screenshots(
  browser: Browser,
  html: string,
  dir: string,
): Promise<Record<keyof typeof SHOTS, string>> {
  const out = {} as Record<keyof typeof SHOTS, string>;
  for (const [name, options] of Object.entries(SHOTS) as [
    keyof typeof SHOTS,
    (typeof SHOTS)[keyof typeof SHOTS],
  ][]) {
    const { page, errors, close } = await openHtml(browser, html, {
      ...options,
      colorScheme: "light",
    });
    try {
      // The page rendered: its heading and its first failing check are on screen.
      await page.locator("h1").waitFor({ state: "visible", timeout: 5_000 });
      await page.locator("article.check").first().waitFor({ state: "attached", timeout: 5_000 });
      if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join("; ")}`);
      out[name] = join(dir, `html-report-${name}.png`);
      await page.screenshot({ path: out[name] });
    } finally {
      await close();
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await demoReport();
  const html = renderHtml(report, { trend: demoTrend(report) });
  const browser = await launchBrowser();
  try {
    const files = await screenshots(
      browser,
      html,
      fileURLToPath(new URL("../docs", import.meta.url)),
    );
    for (const f of Object.values(files)) process.stdout.write(`wrote ${f}\n`);
  } finally {
    await browser.close();
  }
}
