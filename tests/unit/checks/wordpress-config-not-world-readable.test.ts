import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-config-not-world-readable";
import { inventoryRun, site, wordpressSnapshot, wpContext } from "../../helpers/wordpress";

const withMode = (mode: string) => {
  const s = site();
  return check.evaluate(
    wordpressSnapshot({
      runs: [
        inventoryRun([site({ config: { ...(s.config as NonNullable<typeof s.config>), mode } })]),
      ],
    }),
    wpContext(),
  )[0];
};

describe("wordpress-config-not-world-readable", () => {
  it.each(["640", "600", "440", "400", "660"])("passes with mode %s", (mode) => {
    expect(withMode(mode)?.status).toBe("PASS");
  });

  it("fails when every user may read it (644, Debian's default) or write it", () => {
    expect(withMode("644")).toMatchObject({
      status: "FAIL",
      message:
        'On instance "blog", /opt/bitnami/wordpress/wp-config.php is readable by every user (mode 644, bitnami:daemon): any local user or process can read the database password and cookie keys.',
    });
    expect(withMode("666")?.message).toContain("is writable by every user (mode 666");
  });

  it("is ERROR when the mode is unknown or there is no wp-config.php", () => {
    expect(withMode("")?.status).toBe("ERROR");
    const none = wordpressSnapshot({ runs: [inventoryRun([site({ config: null })])] });
    expect(check.evaluate(none, wpContext())[0]?.status).toBe("ERROR");
  });
});
