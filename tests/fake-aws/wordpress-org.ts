/**
 * A loopback fake of the wordpress.org API endpoints the audit reads (shapes documented in
 * shared/aws/wordpress-org.ts): core stable-check and version-check, plugin and theme info 1.2.
 * It answers as the real service does: 200 with the item, 404 with `{"error":"Plugin not
 * found."}` / `{"error":"Theme not found"}` for an unknown slug, 404 with the closed object for
 * a closed plugin. Faults per path: a delay (timeouts) or a body that is not JSON. Every request
 * is recorded, so tests can count them. Used by the tests and by `npm run demo` (no network).
 */
import { createServer, type Server } from "node:http";

export interface WordPressOrgCatalog {
  /** stable-check's map: version -> latest | outdated | insecure. */
  stableCheck: Record<string, "latest" | "outdated" | "insecure">;
  /** version-check's offers[0].current. */
  latest: string;
  plugins: Record<string, { version: string } | { closed: { date: string; reason: string } }>;
  themes: Record<string, { version: string }>;
}

export interface WordPressOrgFaults {
  /** Path prefix (e.g. `/plugins/info/1.2/?action=plugin_information&slug=slow`) -> delay ms. */
  delay?: Record<string, number>;
  /** Path prefixes answered with a body that is not JSON. */
  malformed?: string[];
}

export interface FakeWordPressOrg {
  url: string;
  /** Every request path, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** A catalog shaped like the real service's answers on 2026-12-01 (versions illustrative). */
export function defaultCatalog(): WordPressOrgCatalog {
  return {
    stableCheck: {
      "6.0": "insecure",
      "6.1": "insecure",
      "6.1.1": "insecure",
      "6.1.9": "outdated",
      "6.7.2": "outdated",
      "6.8.2": "outdated",
      "6.8.3": "latest",
    },
    latest: "6.8.3",
    plugins: {
      akismet: { version: "5.5" },
      woocommerce: { version: "10.3.5" },
      "contact-form-7": { version: "6.1.3" },
      hello: { version: "1.7.2" },
      "display-widgets": { closed: { date: "2017-09-08", reason: "Security Issue" } },
    },
    themes: {
      twentytwentythree: { version: "1.6" },
      twentytwentyone: { version: "2.6" },
      twentytwentyfive: { version: "1.3" },
    },
  };
}

function answer(catalog: WordPressOrgCatalog, url: URL): { status: number; body: unknown } {
  const slug = url.searchParams.get("slug") ?? "";
  if (url.pathname === "/core/stable-check/1.0/") return { status: 200, body: catalog.stableCheck };
  if (url.pathname === "/core/version-check/1.7/") {
    const offer = {
      response: "upgrade",
      download: `https://downloads.wordpress.org/release/wordpress-${catalog.latest}.zip`,
      locale: "en_US",
      current: catalog.latest,
      version: catalog.latest,
      php_version: "7.2.24",
      mysql_version: "5.5.5",
      new_bundled: "6.7",
      partial_version: false,
    };
    return { status: 200, body: { offers: [offer], translations: [] } };
  }
  if (
    url.pathname === "/plugins/info/1.2/" &&
    url.searchParams.get("action") === "plugin_information"
  ) {
    const p = catalog.plugins[slug];
    if (!p) return { status: 404, body: { error: "Plugin not found." } };
    if ("closed" in p) {
      return {
        status: 404,
        body: {
          error: "closed",
          name: slug,
          slug,
          description: "This plugin has been closed and is no longer available for download.",
          closed: true,
          closed_date: p.closed.date,
          reason: "security-issue",
          reason_text: p.closed.reason,
        },
      };
    }
    return { status: 200, body: { name: slug, slug, version: p.version, requires: "6.0" } };
  }
  if (
    url.pathname === "/themes/info/1.2/" &&
    url.searchParams.get("action") === "theme_information"
  ) {
    const t = catalog.themes[slug];
    if (!t) return { status: 404, body: { error: "Theme not found" } };
    return { status: 200, body: { name: slug, slug, version: t.version } };
  }
  return { status: 404, body: { error: "Action not implemented" } };
}

/** Starts the fake on a free 127.0.0.1 port. */
export async function startFakeWordPressOrg(
  catalog: WordPressOrgCatalog = defaultCatalog(),
  faults: WordPressOrgFaults = {},
): Promise<FakeWordPressOrg> {
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    const send = () => {
      if (faults.malformed?.some((p) => path.startsWith(p))) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>502 Bad Gateway</body></html>");
        return;
      }
      const { status, body } = answer(catalog, new URL(path, "http://127.0.0.1"));
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const delay = Object.entries(faults.delay ?? {}).find(([p]) => path.startsWith(p))?.[1];
    if (delay === undefined) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, delay);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
