import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-themes-up-to-date";
import {
  inventoryRun,
  orgFacts,
  site,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const org = orgFacts();
org.themes["agency-child"] = { state: "unknown" };
const withThemes = (themes: [string, string][]) =>
  wordpressSnapshot({ org, runs: [inventoryRun([site({ themes })])] });

describe("wordpress-themes-up-to-date", () => {
  it("passes when the themes are current", () => {
    expect(check.evaluate(withThemes([["twentytwentyfive", "1.3"]]), wpContext())[0]).toMatchObject(
      {
        status: "PASS",
      },
    );
  });

  it("fails listing outdated themes, inactive ones included; custom themes are not checked", () => {
    const [o] = check.evaluate(
      withThemes([
        ["twentytwentyfive", "1.3"],
        ["twentytwentythree", "1.0"],
        ["agency-child", "2.0"],
      ]),
      wpContext(),
    );

    expect(o).toMatchObject({
      status: "FAIL",
      message:
        'Themes on instance "blog": a newer version exists: twentytwentythree 1.0 (1.6 available). Not checked (not in the wordpress.org directory): agency-child.',
    });
  });

  it("is ERROR when wordpress.org was not asked at all (no answer this run)", () => {
    const snap = wordpressSnapshot({ org: null });

    expect(check.evaluate(snap, wpContext())[0]?.status).toBe("ERROR");
  });
});
