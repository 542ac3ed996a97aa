import { describe, expect, it } from "vitest";
import { compareVersions } from "../../../shared/checks/lib/wordpress";
import check from "../../../shared/checks/wordpress-plugins-up-to-date";
import {
  inventoryRun,
  orgFacts,
  site,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const withPlugins = (plugins: [string, string][], more = 0) =>
  wordpressSnapshot({ runs: [inventoryRun([site({ plugins, pluginsMore: more })])] });

describe("wordpress-plugins-up-to-date", () => {
  it("passes when every plugin on wordpress.org is current, listing the ones not checked", () => {
    const [o] = check.evaluate(
      withPlugins([
        ["akismet", "5.5"],
        ["premium-plugin", "3.0"],
      ]),
      wpContext(),
    );

    expect(o).toMatchObject({
      status: "PASS",
      message:
        'The 1 plugin(s) of instance "blog" found on wordpress.org are up to date. Not checked (not in the wordpress.org directory): premium-plugin.',
    });
  });

  it("fails listing the plugins with a newer version (numeric comparison: 5.10 > 5.9)", () => {
    const snap = withPlugins([
      ["akismet", "5.0.2"],
      ["woocommerce", "8.2.1"],
    ]);

    const [o] = check.evaluate(snap, wpContext());

    expect(o).toMatchObject({ status: "FAIL" });
    expect(o?.severity).toBeUndefined();
    expect(o?.message).toBe(
      'Plugins on instance "blog": a newer version exists: akismet 5.0.2 (5.5 available) and woocommerce 8.2.1 (10.3.5 available).',
    );
  });

  it("fails high for a plugin wordpress.org has closed", () => {
    const [o] = check.evaluate(withPlugins([["display-widgets", "2.6.3.1"]]), wpContext());

    expect(o).toMatchObject({ status: "FAIL", severity: "high" });
    expect(o?.message).toContain(
      "closed by wordpress.org (no fix will come): display-widgets 2.6.3.1 (closed 2017-09-08: Security Issue)",
    );
  });

  it("is ERROR when a lookup failed and nothing else fails; a FAIL still says what was not checked", () => {
    const org = orgFacts({
      plugins: {
        akismet: { state: "error", error: "wordpress.org could not be reached (timed out)" },
        woocommerce: { state: "listed", version: "10.3.5" },
      },
    });
    const only = wordpressSnapshot({ org, runs: [inventoryRun([site()])] });
    const both = wordpressSnapshot({
      org,
      runs: [
        inventoryRun([
          site({
            plugins: [
              ["akismet", "5.5"],
              ["woocommerce", "1.0"],
            ],
          }),
        ]),
      ],
    });

    const [error] = check.evaluate(only, wpContext());
    const [fail] = check.evaluate(both, wpContext());

    expect(error).toMatchObject({ status: "ERROR" });
    expect(error?.message).toMatch(/^wordpress\.org could not be reached for akismet/);
    expect(fail?.status).toBe("FAIL");
    expect(fail?.message).toContain(
      "could not be checked (wordpress.org could not be reached): akismet",
    );
  });

  it("says how many plugins the inventory counted but did not list", () => {
    const [o] = check.evaluate(withPlugins([["akismet", "5.5"]], 100), wpContext());

    expect(o?.message).toContain(
      "100 more plugin(s) were not listed by the inventory and not checked.",
    );
  });

  it("gives no result when lookups are off", () => {
    expect(
      check.evaluate(withPlugins([["akismet", "1.0"]]), wpContext({ lookups: false })),
    ).toEqual([]);
  });
});

describe("compareVersions (the plugins' and themes' version order)", () => {
  it.each([
    ["5.10", "5.9", 1],
    ["2.6.3.1", "2.6.3", 1],
    ["1.0", "1.0.0", 0],
    ["10.3.5", "8.2.1", 1],
    ["1.2", "1.2.1", -1],
    ["2.0-beta", "2.0-alpha", 1],
  ])("%s against %s: %d", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
