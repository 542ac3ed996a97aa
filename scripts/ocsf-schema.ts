/**
 * Derives a JSON Schema for one OCSF event class from the OCSF schema's own definition files
 * (github.com/ocsf/ocsf-schema): the class and its `extends` chain, the dictionary's types, and
 * every object reachable from it, with `required` from each attribute's `requirement`, enums for
 * `*_id` attributes, and only the attributes of the profiles we apply (the others are refused).
 * tests/unit/report/ocsf.test.ts validates every object `--format ocsf` prints against the result.
 *
 * Usage: npx tsx scripts/ocsf-schema.ts <ocsf-schema git dir> <commit>
 * writes tests/fixtures/ocsf/compliance_finding.schema.json (committed; regenerate on a new OCSF).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

type Json = Record<string, unknown>;
interface AttributeSpec {
  type?: string;
  is_array?: boolean;
  enum?: Record<string, unknown>;
  requirement?: string;
  profile?: string | null;
}
interface Definition {
  name: string;
  uid?: number;
  category?: string;
  extends?: string;
  attributes: Record<string, AttributeSpec> & { $include?: string[] };
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

/** The OCSF sources, read from a git object store at one commit. */
export interface OcsfSource {
  read(path: string): Json;
  list(dir: string): string[];
}

export function gitSource(gitDir: string, commit: string): OcsfSource {
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return {
    read: (path) => JSON.parse(git("show", `${commit}:${path}`)) as Json,
    list: (dir) =>
      git("ls-tree", "-r", "--name-only", commit, dir)
        .split("\n")
        .filter((p) => p.endsWith(".json")),
  };
}

const PRIMITIVES: Record<string, Json> = {
  string_t: { type: "string" },
  integer_t: { type: "integer" },
  long_t: { type: "integer" },
  float_t: { type: "number" },
  boolean_t: { type: "boolean" },
  json_t: {},
};

/**
 * The JSON Schema of class `className` with `profiles` applied (their attributes allowed, and
 * required where the profile says so). Other profiles' attributes are left out, and
 * `additionalProperties: false` everywhere catches a misspelt or unknown attribute.
 */
export function deriveClassSchema(
  src: OcsfSource,
  className: string,
  profiles: readonly string[],
  origin: string,
): Json {
  const byName = (dir: string) =>
    new Map(
      src.list(dir).map((p) => {
        const d = src.read(p) as unknown as Definition;
        return [d.name, d] as const;
      }),
    );
  const events = byName("events");
  const objects = byName("objects");
  const dictionary = src.read("dictionary.json") as {
    attributes: Record<string, AttributeSpec>;
    types: { attributes: Record<string, { type?: string }> };
  };
  const categories = src.read("categories.json") as {
    attributes: Record<string, { uid: number }>;
  };
  const version = (src.read("version.json") as { version: string }).version;

  /** A definition's attributes, merged down its `extends` chain and `$include`s. */
  const attributesOf = (
    def: Definition,
    index: Map<string, Definition>,
  ): Record<string, AttributeSpec> => {
    const parent = def.extends ? index.get(def.extends) : undefined;
    if (def.extends && !parent) throw new Error(`${def.name} extends unknown ${def.extends}`);
    const merged: Record<string, AttributeSpec> = parent ? attributesOf(parent, index) : {};
    const { $include = [], ...own } = def.attributes;
    for (const path of $include) {
      const file = src.read(path) as unknown as Definition & { meta?: string };
      for (const [name, spec] of Object.entries(file.attributes)) {
        const profile = file.meta === "profile" ? file.name : undefined;
        merged[name] = { ...merged[name], ...(profile ? { profile } : {}), ...spec };
      }
    }
    for (const [name, spec] of Object.entries(own)) {
      // A child's enum adds to its parent's (finding's activity ids 1-3 join base_event's 0 and 99).
      const values =
        merged[name]?.enum && spec.enum ? { ...merged[name].enum, ...spec.enum } : spec.enum;
      merged[name] = { ...merged[name], ...spec, ...(values ? { enum: values } : {}) };
    }
    return merged;
  };

  const defs: Record<string, Json> = {};
  const pending: string[] = [];
  const propertyOf = (name: string, spec: AttributeSpec): Json => {
    const dict = dictionary.attributes[name];
    if (!dict) throw new Error(`attribute ${name} is not in the dictionary`);
    const type = spec.type ?? dict.type ?? "";
    const isArray = spec.is_array ?? dict.is_array ?? false;
    // The dictionary's values (0 Unknown, 99 Other) stay beside the ones a class or object adds,
    // as the OCSF server merges them.
    const enumeration = dict.enum || spec.enum ? { ...dict.enum, ...spec.enum } : undefined;
    let base = type;
    while (!(base in PRIMITIVES) && dictionary.types.attributes[base]?.type) {
      base = dictionary.types.attributes[base]?.type ?? "";
    }
    let item: Json;
    if (base in PRIMITIVES) {
      item = { ...PRIMITIVES[base] };
      if (enumeration) {
        const keys = Object.keys(enumeration);
        item.enum = base === "string_t" ? keys : keys.map(Number);
      }
    } else if (objects.has(type)) {
      if (!(type in defs) && !pending.includes(type)) pending.push(type);
      item = { $ref: `#/$defs/${type}` };
    } else {
      throw new Error(`attribute ${name} has unknown type ${type}`);
    }
    return isArray ? { type: "array", items: item } : item;
  };
  const schemaOf = (def: Definition, attributes: Record<string, AttributeSpec>): Json => {
    const kept = Object.entries(attributes).filter(
      ([, spec]) => !spec.profile || profiles.includes(spec.profile),
    );
    const out: Json = {
      type: "object",
      properties: Object.fromEntries(kept.map(([n, spec]) => [n, propertyOf(n, spec)])),
      required: kept.filter(([, spec]) => spec.requirement === "required").map(([n]) => n),
      // `object` itself is OCSF's generic object ("not otherwise defined by the schema").
      additionalProperties: def.name === "object",
    };
    const { at_least_one: anyOf, just_one: oneOf } = def.constraints ?? {};
    if (anyOf) out.anyOf = anyOf.map((n) => ({ required: [n] }));
    if (oneOf) out.oneOf = oneOf.map((n) => ({ required: [n] }));
    return out;
  };

  const event = events.get(className);
  if (!event?.uid) throw new Error(`no event class ${className}`);
  const categoryName = [event, ...[...events.values()]].find((e) => e.category)?.category;
  let cls: Definition | undefined = event;
  let category: string | undefined;
  while (cls && !category) {
    category = cls.category;
    cls = cls.extends ? events.get(cls.extends) : undefined;
  }
  const categoryUid = categories.attributes[category ?? categoryName ?? ""]?.uid;
  if (categoryUid === undefined) throw new Error(`no category for ${className}`);
  const classUid = categoryUid * 1000 + event.uid;
  const root = schemaOf(event, attributesOf(event, events));
  while (pending.length > 0) {
    const name = pending.shift() as string;
    const def = objects.get(name) as Definition;
    defs[name] = schemaOf(def, attributesOf(def, objects));
  }
  const properties = root.properties as Record<string, Json>;
  const activities = ((properties.activity_id?.enum ?? []) as number[]).filter((n) => n >= 0);
  properties.class_uid = { type: "integer", const: classUid };
  properties.category_uid = { type: "integer", const: categoryUid };
  properties.type_uid = { type: "integer", enum: activities.map((a) => classUid * 100 + a) };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: `Derived by scripts/ocsf-schema.ts from ${origin} (OCSF ${version}), profiles: ${profiles.join(", ") || "none"}`,
    title: `OCSF ${version} ${className} (class_uid ${classUid})`,
    ...root,
    $defs: defs,
  };
}

if (process.argv[1]?.endsWith("ocsf-schema.ts")) {
  const [gitDir, commit] = process.argv.slice(2);
  if (!gitDir || !commit) {
    console.error("usage: tsx scripts/ocsf-schema.ts <ocsf-schema git dir> <commit>");
    process.exit(1);
  }
  const schema = deriveClassSchema(
    gitSource(gitDir, commit),
    "compliance_finding",
    ["cloud"],
    `github.com/ocsf/ocsf-schema@${commit}`,
  );
  const file = new URL("../tests/fixtures/ocsf/compliance_finding.schema.json", import.meta.url);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file.pathname} (${Object.keys(schema.$defs as Json).length} objects)`);
}
