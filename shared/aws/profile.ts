/**
 * Why AWS_PROFILE gave no credentials: the SDK says only "Could not load credentials from any
 * providers", which reads as if no profile were set. Read (only) when credentials failed.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** Profile names in a shared config file (`[profile x]`, `[default]`) or credentials file (`[x]`). */
async function profilesIn(file: string, config: boolean): Promise<string[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)) {
    const section = m[1] ?? "";
    if (!config) names.push(section);
    else if (section === "default") names.push(section);
    else if (section.startsWith("profile ")) names.push(section.slice(8).trim());
  }
  return names;
}

/**
 * A sentence naming AWS_PROFILE's problem when it names no profile of the shared files; undefined
 * when AWS_PROFILE is unset or the profile exists (then its credentials are the problem).
 *
 * @example
 * await missingProfile({ AWS_PROFILE: "nope" })
 * // 'AWS_PROFILE is "nope", but there is no such profile in ~/.aws/config or ~/.aws/credentials (profiles there: default)'
 */
export async function missingProfile(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const profile = env.AWS_PROFILE;
  if (!profile) return undefined;
  const home = homedir();
  const config = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const names = new Set([
    ...(await profilesIn(config, true)),
    ...(await profilesIn(credentials, false)),
  ]);
  if (names.has(profile)) return undefined;
  const known = names.size > 0 ? ` (profiles there: ${[...names].sort().join(", ")})` : "";
  return `AWS_PROFILE is ${JSON.stringify(profile)}, but there is no such profile in ${config} or ${credentials}${known}`;
}
