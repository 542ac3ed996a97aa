/**
 * wordpress.org's public API: the outbound HTTP adapter beside the AWS ones (not AWS, but the
 * same rule: the only place that calls out; checks judge what it returns). Node's fetch, a
 * timeout per request, a few requests at once, each core question and each slug asked once per
 * run. Nothing is ever sent but the slugs and fixed paths.
 *
 * The response shapes relied on, and where they come from:
 * - `GET /core/stable-check/1.0/`: one JSON object, every released version to `"latest"`,
 *   `"outdated"` or `"insecure"`, e.g. `{"6.1.1":"insecure","6.1.9":"outdated","6.8.3":"latest"}`
 *   (as WordPress's own tooling reads it: @wordpress/env reads the version marked `latest`).
 * - `GET /core/version-check/1.7/`: `{"offers":[{"response":"upgrade","current":"6.8.3",
 *   "version":"6.8.3",…},…],"translations":[]}`; the first offer's `current` is the latest
 *   release (what wp-admin's update screen reads, wp-includes/update.php wp_version_check()).
 * - `GET /plugins/info/1.2/?action=plugin_information&slug=<slug>`: the plugin's object with
 *   `slug` and `version`; a closed plugin answers `{"error":"closed","name":…,"slug":…,
 *   "closed":true,"closed_date":"2017-09-08","reason":"security-issue","reason_text":…}`, a slug
 *   not in the directory `{"error":"Plugin not found."}` (HTTP 404). Shapes from WordPress core's
 *   plugins_api() and its PHPUnit test of closed plugins (wordpress-develop
 *   tests/phpunit/tests/admin/includesPluginInstall.php), and the directory's own API code
 *   (WordPress/wordpress.org plugin-directory/standalone/class-plugins-info-api.php).
 * - `GET /themes/info/1.2/?action=theme_information&slug=<slug>`: the theme's object with `slug`
 *   and `version`; an unknown slug `{"error":"Theme not found"}` (themes_api() treats any
 *   `error` as a failure; `"closed"` is read as for plugins).
 * Any other `error` text counts as "not on wordpress.org" (a premium or custom plugin: not
 * checked, not a finding). A body that is not JSON, or JSON without the fields above, is an
 * error, as is a timeout or a network failure: the dependent results are then ERROR.
 */
import { mapLimit } from "../collect/concurrency";
import type { CoreStatus, ItemInfo, WordPressOrgFacts } from "../model";

export type { CoreStatus, ItemInfo, WordPressOrgFacts };

export interface WordPressOrgOptions {
  /** `https://api.wordpress.org`, or a loopback fake in tests (config `wordpressOrgUrl`). */
  baseUrl: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Requests at once (default 6). */
  concurrency?: number;
  /** Aborts everything not yet answered (the audit's deadline). */
  signal?: AbortSignal;
}

/** wordpress.org directory slugs: lower-case letters, digits and hyphens. Others are not asked. */
const SLUG = /^[a-z0-9][a-z0-9_-]{0,199}$/;
const STATUSES = new Set<string>(["latest", "outdated", "insecure"]);

/** A fixed message for every way a request can fail; the detail goes in parentheses. */
export const UNREACHABLE = "wordpress.org could not be reached";

async function getJson(path: string, options: WordPressOrgOptions): Promise<unknown> {
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 10_000)];
  if (options.signal) signals.push(options.signal);
  let response: Response;
  try {
    response = await fetch(`${options.baseUrl}${path}`, {
      signal: AbortSignal.any(signals),
      headers: { accept: "application/json", "user-agent": "lightsail-auditor" },
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : "Error";
    throw new Error(
      name === "TimeoutError" ? "timed out" : `${name}: ${(err as Error).message ?? err}`,
    );
  }
  const text = await response.text();
  // 404 carries the "not found" and "closed" objects; anything else non-2xx is a failure.
  if (!response.ok && response.status !== 404) throw new Error(`HTTP ${response.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function parseStableCheck(body: unknown): Record<string, CoreStatus> {
  if (!isObject(body) || Object.keys(body).length === 0) throw new Error("not a version map");
  const out: Record<string, CoreStatus> = {};
  for (const [version, status] of Object.entries(body)) {
    if (typeof status === "string" && STATUSES.has(status)) out[version] = status as CoreStatus;
  }
  if (!Object.values(out).includes("latest")) throw new Error("no version marked latest");
  return out;
}

function parseVersionCheck(body: unknown): string {
  const offers = isObject(body) ? body.offers : undefined;
  const first = Array.isArray(offers) ? offers[0] : undefined;
  const current = isObject(first) ? first.current : undefined;
  if (typeof current !== "string" || !/^\d+(\.\d+)*$/.test(current)) {
    throw new Error("no offers[0].current");
  }
  return current;
}

function parseItem(body: unknown): ItemInfo {
  if (!isObject(body)) throw new Error("not an object");
  if (typeof body.error === "string") {
    if (body.error === "closed" || body.closed === true) {
      return {
        state: "closed",
        ...(typeof body.closed_date === "string" ? { closedDate: body.closed_date } : {}),
        ...(typeof body.reason_text === "string"
          ? { reason: body.reason_text }
          : typeof body.reason === "string"
            ? { reason: body.reason }
            : {}),
      };
    }
    return { state: "unknown" };
  }
  if (typeof body.version !== "string" || body.version === "") throw new Error("no version");
  return { state: "listed", version: body.version };
}

async function ask<T>(
  what: string,
  path: string,
  parse: (body: unknown) => T,
  options: WordPressOrgOptions,
): Promise<{ value: T } | { error: string }> {
  try {
    return { value: parse(await getJson(path, options)) };
  } catch (err) {
    return { error: `${UNREACHABLE} (${what}: ${(err as Error).message})` };
  }
}

/**
 * Asks wordpress.org about core (when `core`), and about each distinct plugin and theme slug
 * once. Never throws: each failure is recorded where it belongs.
 *
 * @example
 * await lookUpWordPressOrg({ core: true, plugins: ["akismet"], themes: [] },
 *   { baseUrl: "https://api.wordpress.org" })
 * // { coreStatus: { "6.8.3": "latest", … }, latestCore: "6.8.3",
 * //   plugins: { akismet: { state: "listed", version: "5.5" } }, themes: {}, errors: [] }
 */
export async function lookUpWordPressOrg(
  wanted: { core: boolean; plugins: Iterable<string>; themes: Iterable<string> },
  options: WordPressOrgOptions,
): Promise<WordPressOrgFacts> {
  type Job = { kind: "stable" } | { kind: "latest" } | { kind: "plugins" | "themes"; slug: string };
  const jobs: Job[] = wanted.core ? [{ kind: "stable" }, { kind: "latest" }] : [];
  const facts: WordPressOrgFacts = {
    coreStatus: null,
    latestCore: null,
    plugins: {},
    themes: {},
    errors: [],
  };
  for (const kind of ["plugins", "themes"] as const) {
    for (const slug of new Set(wanted[kind])) {
      if (SLUG.test(slug)) jobs.push({ kind, slug });
      else facts[kind][slug] = { state: "unknown" };
    }
  }
  await mapLimit(jobs, options.concurrency ?? 6, async (job) => {
    if (job.kind === "stable") {
      const r = await ask(
        "core stable-check",
        "/core/stable-check/1.0/",
        parseStableCheck,
        options,
      );
      if ("value" in r) facts.coreStatus = r.value;
      else facts.errors.push(r.error);
    } else if (job.kind === "latest") {
      const r = await ask(
        "core version-check",
        "/core/version-check/1.7/",
        parseVersionCheck,
        options,
      );
      if ("value" in r) facts.latestCore = r.value;
      else facts.errors.push(r.error);
    } else {
      const action = job.kind === "plugins" ? "plugin_information" : "theme_information";
      const path = `/${job.kind}/info/1.2/?action=${action}&slug=${encodeURIComponent(job.slug)}`;
      const r = await ask(`${job.kind.slice(0, -1)} ${job.slug}`, path, parseItem, options);
      facts[job.kind][job.slug] = "value" in r ? r.value : { state: "error", error: r.error };
    }
  });
  facts.errors.sort();
  return facts;
}
