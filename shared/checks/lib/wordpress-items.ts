/** Installed plugins or themes against wordpress.org's answers, for the two "up to date" checks. */
import type { ItemInfo, WordPressSite } from "../../model";
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
