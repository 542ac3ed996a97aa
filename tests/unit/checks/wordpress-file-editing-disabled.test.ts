import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-file-editing-disabled";
import {
  inventoryRun,
  site,
  withConstants,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const judge = (s = site()) =>
  check.evaluate(wordpressSnapshot({ runs: [inventoryRun([s])] }), wpContext())[0];

describe("wordpress-file-editing-disabled", () => {
  it("passes with DISALLOW_FILE_EDIT true, or DISALLOW_FILE_MODS true (which includes it)", () => {
    expect(judge()?.status).toBe("PASS");
    expect(judge(withConstants({ DISALLOW_FILE_MODS: true }))?.status).toBe("PASS");
    expect(judge(withConstants({ DISALLOW_FILE_EDIT: 1 }))?.status).toBe("PASS");
  });

  it("fails when wp-config.php does not set it, or sets it false", () => {
    expect(judge(withConstants({}))).toMatchObject({
      status: "FAIL",
      message:
        'The WordPress file editor is on for instance "blog": wp-config.php does not set DISALLOW_FILE_EDIT. An administrator session is enough to run code on the server.',
    });
    expect(judge(withConstants({ DISALLOW_FILE_EDIT: false }))?.status).toBe("FAIL");
  });

  it("notes a wp-config.php that loads other files (their constants were not read)", () => {
    const s = site();
    const loading = site({
      config: {
        ...(s.config as NonNullable<typeof s.config>),
        constants: {},
        loadsOtherFiles: true,
      },
    });

    expect(judge(loading)?.message).toContain("loads other files");
  });

  it("is ERROR when the value is an expression, or wp-config.php is missing or unreadable", () => {
    const s = site();
    expect(judge(withConstants({ DISALLOW_FILE_EDIT: null }))?.status).toBe("ERROR");
    expect(judge(site({ config: null }))?.status).toBe("ERROR");
    expect(
      judge(site({ config: { ...(s.config as NonNullable<typeof s.config>), readable: false } }))
        ?.status,
    ).toBe("ERROR");
  });
});
