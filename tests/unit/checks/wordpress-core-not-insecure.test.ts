import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/wordpress-core-not-insecure";
import { instance, managedNode } from "../../helpers/snapshot";
import {
  inventoryRun,
  NODE,
  orgFacts,
  site,
  wordpressSnapshot,
  wpContext,
} from "../../helpers/wordpress";

const evaluate = (...args: Parameters<typeof wordpressSnapshot>) =>
  check.evaluate(wordpressSnapshot(...args), wpContext());

describe("wordpress-core-not-insecure", () => {
  it("passes on the latest release", () => {
    expect(evaluate()).toEqual([
      {
        status: "PASS",
        resource: expect.objectContaining({ type: "LightsailInstance", name: "blog" }),
        message:
          'WordPress 6.8.3 is the latest release on instance "blog" (/opt/bitnami/wordpress).',
      },
    ]);
  });

  it("fails critical on a release wordpress.org marks insecure", () => {
    const [o] = evaluate({ runs: [inventoryRun([site({ core: "6.1.1" })])] });

    expect(o).toMatchObject({
      status: "FAIL",
      message:
        'WordPress 6.1.1 is marked insecure by wordpress.org on instance "blog": update it now. The latest release is 6.8.3.',
    });
    expect(o?.severity).toBeUndefined(); // the check's own: critical
  });

  it("fails medium on a release that is merely outdated", () => {
    const [o] = evaluate({ runs: [inventoryRun([site({ core: "6.7.2" })])] });

    expect(o).toMatchObject({ status: "FAIL", severity: "medium" });
    expect(o?.message).toContain("WordPress 6.7.2 is outdated (not insecure yet)");
  });

  it("judges several installs together, the worst deciding, each named by its path", () => {
    const sites = [site(), site({ path: "/var/www/old", core: "6.1.1" })];

    const [o] = evaluate({ runs: [inventoryRun(sites)] });

    expect(o?.status).toBe("FAIL");
    expect(o?.message).toContain("WordPress 6.1.1 (install /var/www/old) is marked insecure");
  });

  it("is ERROR, never PASS, when wordpress.org could not be reached or does not list the version", () => {
    const unreachable = evaluate({
      org: orgFacts({
        coreStatus: null,
        errors: ["wordpress.org could not be reached (core stable-check: timed out)"],
      }),
    });
    const notLooked = evaluate({ org: null });
    const unlisted = evaluate({ runs: [inventoryRun([site({ core: "6.9-beta1" })])] });

    expect(unreachable[0]).toMatchObject({ status: "ERROR" });
    expect(unreachable[0]?.message).toMatch(/^wordpress\.org could not be reached \(core/);
    expect(notLooked[0]).toMatchObject({ status: "ERROR" });
    expect(notLooked[0]?.message).toMatch(/^wordpress\.org could not be reached/);
    expect(unlisted[0]).toMatchObject({ status: "ERROR" });
  });

  it("gives no result when wordpress.org lookups are off", () => {
    const snap = wordpressSnapshot({ runs: [inventoryRun([site({ core: "6.1.1" })])] });

    expect(check.evaluate(snap, wpContext({ lookups: false }))).toEqual([]);
  });

  describe("where the inventory stands (shared by every WordPress check)", () => {
    it("is ERROR with the reason for a WordPress instance with no managed node", () => {
      const [o] = evaluate({ nodes: [] });

      expect(o).toMatchObject({ status: "ERROR" });
      expect(o?.message).toBe(
        'WordPress on instance "blog" cannot be inventoried: no SSM managed node maps to it, so the auditor cannot read its WordPress version, plugins or settings. See lightsail-instance-ssm-managed to register it.',
      );
    });

    it("is ERROR when only the private IP matches a node (never acted on)", () => {
      const [o] = evaluate({ nodes: [managedNode(NODE, "other", { tags: [] })] });

      expect(o?.status).toBe("ERROR");
      expect(o?.message).toContain("shares its private IP address");
    });

    it("is ERROR when the node has no inventory yet, or the inventories could not be read", () => {
      expect(evaluate({ runs: [] })[0]?.message).toContain("has no inventory yet");
      expect(evaluate({ runs: null })[0]?.message).toContain("could not be read");
    });

    it("is ERROR when the newest inventory is older than twice the schedule (stale)", () => {
      const old = inventoryRun(undefined, { requestedAt: "2026-07-29T11:00:00.000Z" });

      const [o] = evaluate({ runs: [old] });

      expect(o?.status).toBe("ERROR");
      expect(o?.message).toContain("is stale");
      expect(o?.message).toContain("older than 48 hours");
    });

    it("is ERROR when the inventory did not succeed or could not be read", () => {
      const failed = inventoryRun(undefined, {
        status: "Failed",
        inventory: null,
        resultError: "the run did not succeed (Failed)",
      });

      expect(evaluate({ runs: [failed] })[0]?.message).toContain(
        "cannot be used: the run did not succeed (Failed)",
      );
    });

    it("is ERROR when the inventory of a WordPress blueprint found no install", () => {
      const [o] = evaluate({ runs: [inventoryRun([])] });

      expect(o?.status).toBe("ERROR");
      expect(o?.message).toContain("found no WordPress install");
    });

    it("judges a non-WordPress blueprint only when its inventory found WordPress", () => {
      const lamp = instance("blog", undefined, { blueprintId: "lamp_8_bitnami" });

      expect(evaluate({ instance: lamp, runs: [inventoryRun([])] })).toEqual([]);
      expect(evaluate({ instance: lamp, nodes: [] })).toEqual([]);
      expect(evaluate({ instance: lamp })[0]?.status).toBe("PASS");
    });

    it("gives no result for an instance tagged wp-inventory=false", () => {
      const out = instance("blog", undefined, {
        tags: [{ key: "wp-inventory", value: " False " }],
      });

      expect(evaluate({ instance: out, nodes: [] })).toEqual([]);
    });
  });
});
