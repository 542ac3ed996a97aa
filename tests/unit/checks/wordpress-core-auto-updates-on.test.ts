import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-core-auto-updates-on";
import {
  inventoryRun,
  site,
  withConstants,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const judge = (s = site()) =>
  check.evaluate(wordpressSnapshot({ runs: [inventoryRun([s])] }), wpContext())[0];

describe("wordpress-core-auto-updates-on", () => {
  it("passes with WordPress's default (nothing set), 'minor' or true", () => {
    expect(judge(withConstants({}))?.status).toBe("PASS");
    expect(judge()?.status).toBe("PASS");
    expect(judge(withConstants({ WP_AUTO_UPDATE_CORE: true }))?.status).toBe("PASS");
  });

  it("fails when the updater is off: AUTOMATIC_UPDATER_DISABLED, WP_AUTO_UPDATE_CORE false, DISALLOW_FILE_MODS", () => {
    expect(judge(withConstants({ AUTOMATIC_UPDATER_DISABLED: true }))?.message).toBe(
      'Automatic core security updates are off on instance "blog": AUTOMATIC_UPDATER_DISABLED is true.',
    );
    // Debian's packaged wp-config.php: WordPress is updated by apt instead.
    expect(judge(withConstants({ WP_AUTO_UPDATE_CORE: false }))?.status).toBe("FAIL");
    expect(judge(withConstants({ DISALLOW_FILE_MODS: true }))?.message).toContain(
      "DISALLOW_FILE_MODS is true, which also stops automatic updates",
    );
  });

  it("is ERROR when a setting is an expression", () => {
    expect(judge(withConstants({ AUTOMATIC_UPDATER_DISABLED: null }))?.status).toBe("ERROR");
  });
});
