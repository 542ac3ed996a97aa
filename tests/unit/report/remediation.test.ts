import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellWord, undoCommand } from "../../../shared/report/remediation";

describe("undoCommand", () => {
  it("names the state table, so the command works when pasted", () => {
    expect(undoCommand("3f9a2c81b7d0", "lightsail-auditor-prod-StateTable-1A2B")).toBe(
      "lightsail-audit undo --change 3f9a2c81b7d0 --state-table lightsail-auditor-prod-StateTable-1A2B",
    );
    expect(undoCommand("3f9a2c81b7d0")).toBe("lightsail-audit undo --change 3f9a2c81b7d0");
  });

  it.each(["x'; touch /tmp/pwned; echo '", "$(id)", "`id`", "a b", "", "it's"])(
    "quotes %j so that a shell reads it back as one word, unchanged",
    (value) => {
      // bash prints its one argument: the word the pasted command would pass.
      const echoed = execFileSync("bash", ["-c", `printf %s ${shellWord(value)}`], {
        encoding: "utf8",
      });
      expect(echoed).toBe(value);
    },
  );
});
