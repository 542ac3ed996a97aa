/** The document parameters the auditor sends: defaults, tag overrides, validation. */
import { describe, expect, it } from "vitest";
import { isAllowed, parametersFor } from "../../../shared/patching/parameters";

describe("parametersFor", () => {
  it("sends the document's defaults when the instance has no parameter tag", () => {
    expect(parametersFor([{ key: "site", value: "blog" }])).toEqual({
      parameters: {
        updatesOrigin: "true",
        automaticReboot: "true",
        automaticRebootTime: "02:00",
        mailTo: "",
      },
      invalid: [],
    });
  });

  it("lists every rejected tag and sends nothing for them", () => {
    const { parameters, invalid } = parametersFor([
      { key: "auto-patch-reboot", value: "yes" },
      { key: "auto-patch-mail", value: "ops@example.com'; reboot; '" },
      { key: "auto-patch-reboot-time" },
    ]);

    expect(invalid).toEqual([
      'tag auto-patch-reboot="yes" (expected true or false)',
      `tag auto-patch-reboot-time="" (expected /^([01][0-9]|2[0-3]):[0-5][0-9]$/)`,
      expect.stringMatching(/^tag auto-patch-mail="ops@example.com'; reboot; '" \(expected /),
    ]);
    expect(Object.keys(parameters)).toEqual(["updatesOrigin"]);
  });
});

describe("isAllowed", () => {
  it.each([
    ["automaticRebootTime", "00:00", true],
    ["automaticRebootTime", "23:59", true],
    ["automaticRebootTime", "24:00", false],
    ["automaticRebootTime", "2:00", false],
    ["mailTo", "", true],
    ["mailTo", "a.b+c@example.co.uk", true],
    ["mailTo", "root", false],
    ["executionTimeout", "30", true],
    ["executionTimeout", "3600", true],
    ["executionTimeout", "29", false],
    ["executionTimeout", "3601", false],
    ["nope", "true", false],
  ])("%s = %j → %s", (name, value, allowed) => {
    expect(isAllowed(name, value)).toBe(allowed);
  });
});
