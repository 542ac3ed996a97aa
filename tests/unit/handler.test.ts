/** The audit handler's event overrides: patching is the environment's alone. */
import { describe, expect, it } from "vitest";
import { configForEvent } from "../../functions/audit";
import { parseConfig } from "../../shared/config";

describe("configForEvent", () => {
  it("keeps patching from the environment: an event cannot switch it", () => {
    const base = parseConfig({ patching: "dry-run", patchTargets: "tagged" });

    const config = configForEvent(
      { trigger: "manual", regions: ["us-east-1"], patching: "enforce", patchTargets: "all" },
      base,
    );

    expect(config).toMatchObject({
      regions: ["us-east-1"],
      patching: "dry-run",
      patchTargets: "tagged",
      patchDocument: base.patchDocument,
    });
  });
});
