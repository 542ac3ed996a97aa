/** Installed plugins or themes against wordpress.org's answers, for the two "up to date" checks. */
import type { ItemInfo, Outcome, WordPressSite } from "../../model";
import { joinList } from "./resources";
import { compareVersions } from "./wordpress";

export interface ItemComparison {
  /** "woocommerce 8.2.1 (10.3.5 available)". */
  outdated: string[];
  /** "display-widgets 2.6.3.1 (closed 2017-09-08: Security Issue)". */
  closed: string[];
  /** Slugs not in the directory. */
  notChecked: string[];
  /** Slugs whose lookup failed. */
  errors: string[];
  current: string[];
  /** Items the inventory counted but did not list (its output cap). */
  more: number;
}

/** Each distinct slug@version of the installs, judged once. */
export function compareItems(
  sites: WordPressSite[],
  kind: "plugins" | "themes",
  answers: Record<string, ItemInfo>,
): ItemComparison {
  const out: ItemComparison = {
    outdated: [],
    closed: [],
    notChecked: [],
    errors: [],
    current: [],
    more: 0,
  };
  const seen = new Set<string>();
  for (const site of sites) {
    out.more += kind === "plugins" ? site.pluginsMore : site.themesMore;
    for (const [slug, version] of site[kind]) {
      const key = `${slug}\u0000${version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const info = answers[slug];
      const label = version ? `${slug} ${version}` : slug;
      if (!info || info.state === "error") out.errors.push(slug);
      else if (info.state === "unknown") out.notChecked.push(slug);
      else if (info.state === "closed") {
        const why = [info.closedDate, info.reason].filter(Boolean).join(": ");
        out.closed.push(`${label} (closed${why ? ` ${why}` : ""})`);
      } else if (!version || compareVersions(info.version, version) > 0) {
        out.outdated.push(`${label} (${info.version} available)`);
      } else out.current.push(slug);
    }
  }
  return out;
}

/** How the two checks name their items in messages. */
export interface ItemWords {
  /** "Plugins", "Themes": the FAIL message's opening. */
  heading: string;
  /** "plugin", "theme". */
  noun: string;
  /** What a closed item is said to be. */
  closed: string;
}

/**
 * One instance's verdict from its comparison: FAIL when an item is closed (high) or outdated,
 * ERROR when an item could not be looked up, else PASS; items not checked are named in each.
 */
export function itemsOutcome(
  c: ItemComparison,
  words: ItemWords,
  on: string,
): Pick<Outcome, "status" | "message" | "severity"> {
  const notes = [
    c.notChecked.length > 0
      ? `Not checked (not in the wordpress.org directory): ${joinList(c.notChecked)}.`
      : "",
    c.more > 0
      ? `${c.more} more ${words.noun}(s) were not listed by the inventory and not checked.`
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  const tail = notes ? ` ${notes}` : "";
  if (c.closed.length > 0 || c.outdated.length > 0) {
    const parts = [
      c.closed.length > 0 ? `${words.closed}: ${joinList(c.closed)}` : "",
      c.outdated.length > 0 ? `a newer version exists: ${joinList(c.outdated)}` : "",
      c.errors.length > 0
        ? `could not be checked (wordpress.org could not be reached): ${joinList(c.errors)}`
        : "",
    ].filter(Boolean);
    return {
      status: "FAIL",
      ...(c.closed.length > 0 ? { severity: "high" as const } : {}),
      message: `${words.heading} on ${on}: ${parts.join("; ")}.${tail}`,
    };
  }
  if (c.errors.length > 0) {
    return {
      status: "ERROR",
      message: `wordpress.org could not be reached for ${joinList(c.errors)} on ${on}, so whether they are up to date is unknown.${tail}`,
    };
  }
  return {
    status: "PASS",
    message: `The ${c.current.length} ${words.noun}(s) of ${on} found on wordpress.org are up to date.${tail}`,
  };
}
