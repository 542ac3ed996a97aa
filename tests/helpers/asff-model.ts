/**
 * Validates ASFF findings against the Security Hub API model itself (botocore's securityhub
 * 2018-10-26 service-2.json, the model the SDKs are generated from): the `AwsSecurityFinding`
 * shape's required members, every member's type, enums, patterns and list bounds, recursively,
 * and no member the model does not have. Nothing here is a hand copy of the model.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
}
export interface ServiceModel {
  metadata: { apiVersion: string };
  shapes: Record<string, Shape>;
}

/** The installed botocore's Security Hub model (plain or gzipped, as botocore ships it). */
export function securityHubModel(): ServiceModel {
  const dir = execFileSync(
    "python3",
    [
      "-c",
      "import botocore,os;print(os.path.join(os.path.dirname(botocore.__file__),'data','securityhub','2018-10-26'))",
    ],
    { encoding: "utf8" },
  ).trim();
  for (const name of ["service-2.json", "service-2.json.gz"]) {
    try {
      const raw = readFileSync(`${dir}/${name}`);
      return JSON.parse((name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
    } catch {
      // try the other form
    }
  }
  throw new Error(`no securityhub service-2.json in ${dir}`);
}

/** Every problem of `value` as shape `shapeName` (empty when valid), each with its path. */
export function shapeProblems(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path = shapeName,
): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  const problems: string[] = [];
  const bounded = (n: number) => {
    if (shape.min !== undefined && n < shape.min) problems.push(`${path}: fewer than ${shape.min}`);
    if (shape.max !== undefined && n > shape.max) problems.push(`${path}: more than ${shape.max}`);
  };
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [`${path}: not an object`];
      }
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined) problems.push(`${path}.${name}: required`);
      }
      for (const [name, v] of Object.entries(record)) {
        const member = shape.members?.[name];
        if (!member) problems.push(`${path}.${name}: not a member of ${shapeName}`);
        else if (v !== undefined) {
          problems.push(...shapeProblems(model, member.shape, v, `${path}.${name}`));
        }
      }
      return problems;
    }
    case "list":
      if (!Array.isArray(value)) return [`${path}: not a list`];
      bounded(value.length);
      value.forEach((item, i) => {
        problems.push(...shapeProblems(model, shape.member?.shape ?? "", item, `${path}[${i}]`));
      });
      return problems;
    case "map":
      if (typeof value !== "object" || value === null) return [`${path}: not a map`];
      for (const [k, v] of Object.entries(value)) {
        problems.push(...shapeProblems(model, shape.key?.shape ?? "", k, `${path} key ${k}`));
        problems.push(...shapeProblems(model, shape.value?.shape ?? "", v, `${path}.${k}`));
      }
      return problems;
    case "string":
      if (typeof value !== "string") return [`${path}: not a string`];
      if (shape.enum && !shape.enum.includes(value)) {
        problems.push(`${path}: "${value}" not one of ${shape.enum.join(", ")}`);
      }
      // The model's patterns are Java regexes; the ones on these shapes read the same in JS.
      if (shape.pattern && !new RegExp(shape.pattern).test(value)) {
        problems.push(`${path}: does not match ${shape.pattern}`);
      }
      bounded(value.length);
      return problems;
    case "integer":
    case "long":
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case "double":
    case "float":
      return typeof value === "number" ? [] : [`${path}: not a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: not a boolean`];
    case "timestamp":
      return typeof value === "string" ? [] : [`${path}: not a timestamp`];
    default:
      return [`${path}: unsupported shape type ${shape.type}`];
  }
}
