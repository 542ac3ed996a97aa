/**
 * A real browser for the HTML report's tests: Debian's chromium (`/usr/bin/chromium`) driven by
 * playwright-core (the npm browser download is not reachable here; .ci/run installs the Debian
 * package). Each page is opened from a file, as a person opens a downloaded report, with every
 * request, console message and page error recorded.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface OpenedPage {
  page: Page;
  /**
   * Every request that left the page after the document itself (the file opened), refused
   * before it reaches any network. A load the CSP blocks never gets this far (chromium reports
   * it as a failed request with the error `csp`, in `blocked`).
   */
  requests: string[];
  /** Loads the page's Content-Security-Policy refused. */
  blocked: string[];
  /** Console messages of type error or warning, and uncaught page errors. */
  errors: string[];
  /** Dialogs opened (`alert(1)` from a payload would be one). */
  dialogs: string[];
  close(): Promise<void>;
}

/** Writes `html` to a temporary file and opens it in a new context with `options`. */
export async function openHtml(
  browser: Browser,
  html: string,
  options: BrowserContextOptions = {},
): Promise<OpenedPage> {
  const file = join(await mkdtemp(join(tmpdir(), "html-report-")), "report.html");
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests: string[] = [];
  const blocked: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText === "csp") blocked.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Anything but the file itself is recorded and refused.
  await context.route(
    (u) => u.href !== url,
    (route) => {
      requests.push(route.request().url());
      return route.abort();
    },
  );
  await page.goto(url, { waitUntil: "load" });
  return { page, requests, blocked, errors, dialogs, close: () => context.close() };
}
