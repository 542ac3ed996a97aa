// Loaded into every Node process a test starts (NODE_OPTIONS, vitest.config.ts) and into the test
// workers (tests/setup.ts): `fetch` may reach loopback only, so a run that would read AWS's
// ip-ranges.json or wordpress.org fails at once, as on a machine with no network, instead of
// going out to the internet.
const realFetch = globalThis.fetch;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!LOOPBACK.has(url.hostname)) {
    return Promise.reject(new TypeError(`fetch failed: tests may not reach ${url.host}`));
  }
  return realFetch(input, init);
};
