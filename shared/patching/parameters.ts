/**
 * The patching document's parameters as the auditor sends them: the defaults of
 * document-spec.json (the same file the deployed document is built from), overridden per
 * instance by Lightsail tags such as `auto-patch-reboot-time=03:30`. Pure.
 */
import type { Tag } from "../model";
import spec from "./document-spec.json";

interface ParameterSpec {
  env?: string;
  /** The Lightsail instance tag that overrides the default for that instance. */
  tag?: string;
  default: string;
  allowedValues?: string[];
  allowedPattern?: string;
  description: string;
}

/** Every document parameter, by name. */
export const PATCH_PARAMETERS: Readonly<Record<string, ParameterSpec>> = spec.parameters;

/** The document's one step: `GetCommandInvocation`'s `PluginName`. */
export const PATCH_STEP_NAME: string = spec.stepName;

/** The Lightsail tag that opts an instance in when patch targets are `tagged`. */
export const OPT_IN_TAG = { key: "auto-patch", value: "true" } as const;

/** True when the document would accept `value` for `name`. */
export function isAllowed(name: string, value: string): boolean {
  const p = PATCH_PARAMETERS[name];
  if (!p) return false;
  if (p.allowedValues) return p.allowedValues.includes(value);
  return p.allowedPattern ? new RegExp(p.allowedPattern).test(value) : true;
}

/**
 * The parameters for one instance: every tag-settable parameter, from its tag when present,
 * else the default. A tag value the document would reject is listed in `invalid`, never sent.
 *
 * @example
 * parametersFor([{ key: "auto-patch-reboot-time", value: "03:30" }]).parameters.automaticRebootTime
 * // "03:30"
 */
export function parametersFor(tags: readonly Tag[]): {
  parameters: Record<string, string>;
  invalid: string[];
} {
  const parameters: Record<string, string> = {};
  const invalid: string[] = [];
  for (const [name, p] of Object.entries(PATCH_PARAMETERS)) {
    if (!p.tag) continue;
    const tag = tags.find((t) => t.key === p.tag);
    const value = tag ? (tag.value ?? "").trim() : p.default;
    if (tag && !isAllowed(name, value)) {
      const allowed = p.allowedValues ? p.allowedValues.join(" or ") : `/${p.allowedPattern}/`;
      invalid.push(`tag ${p.tag}="${tag.value ?? ""}" (expected ${allowed})`);
      continue;
    }
    parameters[name] = value;
  }
  return { parameters, invalid };
}
