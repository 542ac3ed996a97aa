import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-debug-output-off";
import {
  inventoryRun,
  site,
  withConstants,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const judge = (s = site()) =>
  check.evaluate(wordpressSnapshot({ runs: [inventoryRun([s])] }), wpContext())[0];

describe("wordpress-debug-output-off", () => {
  it("passes with debug off, or on with WP_DEBUG_DISPLAY false", () => {
    expect(judge()?.status).toBe("PASS");
    expect(judge(withConstants({}))?.status).toBe("PASS");
    expect(judge(withConstants({ WP_DEBUG: true, WP_DEBUG_DISPLAY: false }))?.status).toBe("PASS");
  });

  it("fails when debug is on and display is not turned off (WordPress shows errors by default)", () => {
    expect(judge(withConstants({ WP_DEBUG: true }))).toMatchObject({
      status: "FAIL",
      message:
        'Debug output is exposed on instance "blog": WP_DEBUG is on and WP_DEBUG_DISPLAY is not false, so PHP errors are shown to visitors.',
    });
    expect(judge(withConstants({ WP_DEBUG: true, WP_DEBUG_DISPLAY: true }))?.status).toBe("FAIL");
  });

  it("fails on a served debug.log even with debug off now", () => {
    const log = {
      path: "/opt/bitnami/wordpress/wp-content/debug.log",
      bytes: 48213,
      served: true,
    };

    expect(judge(site({ debugLog: log }))?.message).toBe(
      'Debug output is exposed on instance "blog": /opt/bitnami/wordpress/wp-content/debug.log (48213 bytes) is served by the web server.',
    );
    expect(judge(site({ debugLog: { ...log, served: false } }))?.status).toBe("PASS");
  });

  it("is ERROR when WP_DEBUG comes from an expression", () => {
    expect(judge(withConstants({ WP_DEBUG: null }))?.status).toBe("ERROR");
  });
});
