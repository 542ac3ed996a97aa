/**
 * The wordpress.org client (shared/aws/wordpress-org.ts) over real HTTP against the loopback
 * fake of the endpoints (tests/fake-aws/wordpress-org.ts): latest, outdated and insecure core,
 * listed, closed and unknown plugins and themes, a timeout and a malformed answer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { lookUpWordPressOrg, UNREACHABLE } from "../../shared/aws/wordpress-org";
import {
  defaultCatalog,
  type FakeWordPressOrg,
  startFakeWordPressOrg,
  type WordPressOrgFaults,
} from "../fake-aws/wordpress-org";

let fake: FakeWordPressOrg | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function start(faults: WordPressOrgFaults = {}) {
  fake = await startFakeWordPressOrg(defaultCatalog(), faults);
  return fake;
}

describe("lookUpWordPressOrg", () => {
  it("reads core status and the latest release, and each plugin and theme: listed, closed, not on wordpress.org", async () => {
    const { url } = await start();

    const facts = await lookUpWordPressOrg(
      {
        core: true,
        plugins: ["akismet", "display-widgets", "my-premium-plugin", "Odd Name"],
        themes: ["twentytwentythree", "bespoke-agency-theme"],
      },
      { baseUrl: url },
    );

    expect(facts).toEqual({
      coreStatus: defaultCatalog().stableCheck,
      latestCore: "6.8.3",
      plugins: {
        akismet: { state: "listed", version: "5.5" },
        "display-widgets": { state: "closed", closedDate: "2017-09-08", reason: "Security Issue" },
        "my-premium-plugin": { state: "unknown" },
        // Not a directory slug: never asked.
        "Odd Name": { state: "unknown" },
      },
      themes: {
        twentytwentythree: { state: "listed", version: "1.6" },
        "bespoke-agency-theme": { state: "unknown" },
      },
      errors: [],
    });
  });

  it("asks once per slug, however many sites list it, and nothing about core when not asked", async () => {
    const f = await start();

    await lookUpWordPressOrg(
      { core: false, plugins: ["akismet", "akismet", "hello", "akismet"], themes: ["hello"] },
      { baseUrl: f.url },
    );

    expect([...f.requests].sort()).toEqual([
      "/plugins/info/1.2/?action=plugin_information&slug=akismet",
      "/plugins/info/1.2/?action=plugin_information&slug=hello",
      "/themes/info/1.2/?action=theme_information&slug=hello",
    ]);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const f = await start({ delay: { "/plugins/": 50 } });
    const slugs = Array.from({ length: 12 }, (_, i) => `plugin-${i}`);
    let inFlight = 0;
    let most = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await realFetch(...args);
      } finally {
        inFlight--;
      }
    }) as typeof fetch;
    try {
      await lookUpWordPressOrg(
        { core: false, plugins: slugs, themes: [] },
        { baseUrl: f.url, concurrency: 3 },
      );
    } finally {
      globalThis.fetch = realFetch;
    }

    expect(f.requests).toHaveLength(12);
    expect(most).toBe(3);
  });

  it("turns a timeout into 'wordpress.org could not be reached' for that slug only", async () => {
    const { url } = await start({
      delay: { "/plugins/info/1.2/?action=plugin_information&slug=woocommerce": 5_000 },
    });

    const facts = await lookUpWordPressOrg(
      { core: false, plugins: ["woocommerce", "akismet"], themes: [] },
      { baseUrl: url, timeoutMs: 100 },
    );

    expect(facts.plugins).toEqual({
      woocommerce: { state: "error", error: `${UNREACHABLE} (plugin woocommerce: timed out)` },
      akismet: { state: "listed", version: "5.5" },
    });
  });

  it("turns malformed answers into errors: core unknown (null), never a guess", async () => {
    const { url } = await start({
      malformed: ["/core/stable-check/", "/themes/"],
    });

    const facts = await lookUpWordPressOrg(
      { core: true, plugins: [], themes: ["twentytwentythree"] },
      { baseUrl: url },
    );

    expect(facts.coreStatus).toBeNull();
    expect(facts.latestCore).toBe("6.8.3");
    expect(facts.errors).toEqual([`${UNREACHABLE} (core stable-check: HTTP 200, not JSON)`]);
    expect(facts.themes.twentytwentythree).toEqual({
      state: "error",
      error: `${UNREACHABLE} (theme twentytwentythree: HTTP 200, not JSON)`,
    });
  });

  it("says so when nothing listens (connection refused)", async () => {
    const f = await start();
    const url = f.url;
    await f.stop();
    fake = undefined;

    const facts = await lookUpWordPressOrg(
      { core: true, plugins: ["akismet"], themes: [] },
      { baseUrl: url },
    );

    expect(facts.coreStatus).toBeNull();
    expect(facts.latestCore).toBeNull();
    expect(facts.errors).toHaveLength(2);
    expect(facts.errors[0]).toMatch(/^wordpress\.org could not be reached \(core /);
    expect(facts.plugins.akismet).toMatchObject({ state: "error" });
  });
});
