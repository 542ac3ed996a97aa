/**
 * scripts/ocsf-schema.ts on a miniature OCSF source tree: the class's `extends` chain, a profile
 * `$include`, dictionary types, enums added down the chain, objects and their own `extends`.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { deriveClassSchema, type OcsfSource } from "../../scripts/ocsf-schema";

const files: Record<string, unknown> = {
  "version.json": { version: "9.9.9" },
  "categories.json": { attributes: { findings: { uid: 2 } } },
  "dictionary.json": {
    types: {
      attributes: {
        string_t: {},
        integer_t: {},
        long_t: {},
        timestamp_t: { type: "long_t" },
        url_t: { type: "string_t" },
      },
    },
    attributes: {
      activity_id: { type: "integer_t", enum: { "0": {}, "99": {} } },
      class_uid: { type: "integer_t" },
      category_uid: { type: "integer_t" },
      type_uid: { type: "integer_t" },
      time: { type: "timestamp_t" },
      cloud: { type: "cloud" },
      provider: { type: "string_t" },
      region: { type: "string_t" },
      host: { type: "string_t" },
      compliance: { type: "compliance" },
      status_id: { type: "integer_t", enum: { "0": {}, "1": {}, "99": {} } },
      refs: { type: "url_t", is_array: true },
      name: { type: "string_t" },
      unmapped: { type: "object" },
    },
  },
  "events/base_event.json": {
    name: "base_event",
    category: "other",
    attributes: {
      $include: ["profiles/cloud.json", "profiles/host.json"],
      activity_id: { requirement: "required" },
      class_uid: { requirement: "required" },
      category_uid: { requirement: "required" },
      type_uid: { requirement: "required" },
      time: { requirement: "required" },
      unmapped: { requirement: "optional" },
    },
  },
  "events/findings/finding.json": {
    name: "finding",
    category: "findings",
    extends: "base_event",
    attributes: { activity_id: { enum: { "1": {}, "2": {} } } },
  },
  "events/findings/compliance_finding.json": {
    name: "compliance_finding",
    uid: 3,
    extends: "finding",
    attributes: { compliance: { requirement: "required" } },
  },
  "profiles/cloud.json": {
    name: "cloud",
    meta: "profile",
    attributes: { cloud: { requirement: "required" } },
  },
  "profiles/host.json": {
    name: "host",
    meta: "profile",
    attributes: { host: { requirement: "recommended" } },
  },
  "objects/object.json": { name: "object", attributes: {} },
  "objects/_named.json": { name: "_named", attributes: { name: { requirement: "required" } } },
  "objects/cloud.json": {
    name: "cloud",
    extends: "object",
    attributes: { provider: { requirement: "required" }, region: { requirement: "optional" } },
  },
  "objects/compliance.json": {
    name: "compliance",
    extends: "_named",
    attributes: {
      status_id: { requirement: "recommended", enum: { "1": {}, "3": {} } },
      refs: { requirement: "optional" },
    },
  },
};

const source: OcsfSource = {
  read: (path) => {
    const f = files[path];
    if (!f) throw new Error(`no ${path}`);
    return structuredClone(f) as Record<string, unknown>;
  },
  list: (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)),
};

describe("deriveClassSchema", () => {
  const schema = deriveClassSchema(source, "compliance_finding", ["cloud"], "test");
  const validate = new Ajv2020({ strict: false }).compile(schema);
  const valid = {
    activity_id: 1,
    class_uid: 2003,
    category_uid: 2,
    type_uid: 200301,
    time: 1,
    cloud: { provider: "AWS" },
    compliance: { name: "x", status_id: 3, refs: ["https://example.com"] },
    unmapped: { anything: true },
  };

  it("names the version and the class, and derives the class and category ids", () => {
    expect(schema.title).toBe("OCSF 9.9.9 compliance_finding (class_uid 2003)");
    expect(schema.$comment).toContain("profiles: cloud");
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...valid, class_uid: 2004 })).toBe(false);
    expect(validate({ ...valid, type_uid: 200305 })).toBe(false);
  });

  it("requires what the chain and the applied profile require, and refuses an unknown attribute or another profile's", () => {
    for (const key of ["time", "cloud", "compliance", "activity_id"]) {
      const { [key]: _, ...without } = valid as Record<string, unknown>;
      expect(validate(without), key).toBe(false);
    }
    expect(validate({ ...valid, colour: "red" })).toBe(false);
    expect(validate({ ...valid, host: "h" })).toBe(false); // host profile not applied
  });

  it("adds a child's enum to its parent's and to the dictionary's", () => {
    for (const id of [0, 1, 2, 99])
      expect(validate({ ...valid, activity_id: id, type_uid: 200300 + id })).toBe(true);
    expect(validate({ ...valid, activity_id: 3, type_uid: 200303 })).toBe(false);
    for (const id of [0, 1, 3, 99]) {
      expect(validate({ ...valid, compliance: { name: "x", status_id: id } })).toBe(true);
    }
    expect(validate({ ...valid, compliance: { name: "x", status_id: 2 } })).toBe(false);
  });

  it("follows object types and their extends, arrays and derived types", () => {
    expect(validate({ ...valid, compliance: { status_id: 1 } })).toBe(false); // _named's name
    expect(validate({ ...valid, compliance: { name: "x", refs: "one" } })).toBe(false);
    expect(validate({ ...valid, cloud: {} })).toBe(false);
    expect(validate({ ...valid, time: "soon" })).toBe(false);
  });
});
