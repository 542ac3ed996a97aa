/**
 * The audit's configuration: one schema, read from the Lambda environment or from CLI flags, and
 * validated once at the edge. Every setting is listed here and in the README table.
 */
import { z } from "zod";
import { LIGHTSAIL_REGIONS } from "./aws/regions";
import { CHECK_IDS } from "./checks/index";
import { ConfigError } from "./errors";

/** Each setting's environment variable (Lambda) and flag (CLI), so errors can name both. */
export const CONFIG_KEYS = {
  regions: { env: "REGIONS", flag: "--regions" },
  rootUsageDays: { env: "ROOT_USAGE_DAYS", flag: "--root-usage-days" },
  checks: { env: "CHECKS", flag: "--only" },
} as const;
type Key = keyof typeof CONFIG_KEYS;

export const DEFAULTS = {
  regions: [...LIGHTSAIL_REGIONS] as string[],
  rootUsageDays: 90,
};

const list = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const schema = z.object({
  regions: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "" || v.trim() === "all") return DEFAULTS.regions;
      const regions = [...new Set(list(v))];
      const unknown = regions.filter((r) => !(LIGHTSAIL_REGIONS as readonly string[]).includes(r));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${unknown.map((r) => `"${r}"`).join(", ")} ${unknown.length > 1 ? "are not Lightsail regions" : "is not a Lightsail region"} (valid: all, ${LIGHTSAIL_REGIONS.join(", ")})`,
        });
        return z.NEVER;
      }
      return regions;
    }),
  rootUsageDays: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return DEFAULTS.rootUsageDays;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3650) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number of days from 1 to 3650, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    }),
  checks: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return [...CHECK_IDS];
      const ids = [...new Set(list(v))];
      const unknown = ids.filter((id) => !CHECK_IDS.includes(id));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown check id ${unknown.map((id) => `"${id}"`).join(", ")} (valid: ${CHECK_IDS.join(", ")})`,
        });
        return z.NEVER;
      }
      return ids;
    }),
});

export type AuditConfig = z.output<typeof schema>;
export type RawConfig = Partial<Record<Key, string | undefined>>;

/**
 * Validates raw string settings. Throws a ConfigError naming the setting (env var and flag).
 *
 * @example
 * parseConfig({ regions: "us-east-1,eu-west-2", rootUsageDays: "30" })
 */
export function parseConfig(raw: RawConfig): AuditConfig {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0] as Key | undefined;
  const name = key ? `${CONFIG_KEYS[key].flag} (${CONFIG_KEYS[key].env})` : "configuration";
  throw new ConfigError(`Invalid ${name}: ${issue?.message ?? "invalid value"}`);
}

/** Reads the settings from an environment (the Lambda's, by default). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return parseConfig({
    regions: env[CONFIG_KEYS.regions.env],
    rootUsageDays: env[CONFIG_KEYS.rootUsageDays.env],
    checks: env[CONFIG_KEYS.checks.env],
  });
}
