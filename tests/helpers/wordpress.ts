/**
 * Factories for the WordPress checks' facts: an install as inventory.sh reports it (the Bitnami
 * layout, a hardened wp-config.php), its inventory run, wordpress.org's answers, and a snapshot
 * with one WordPress instance mapped to one node.
 */
import type {
  AccountSnapshot,
  CheckContext,
  LightsailInstance,
  WordPressInventoryRun,
  WordPressOrgFacts,
  WordPressSite,
} from "../../shared/model";
import { context, instance, managedNode, NOW, region, snapshot } from "./snapshot";

export const NODE = "mi-0123456789abcdef0";

/** A hardened Bitnami install on a current core, one plugin and one theme, all up to date. */
export function site(overrides: Partial<WordPressSite> = {}): WordPressSite {
  return {
    path: "/opt/bitnami/wordpress",
    core: "6.8.3",
    config: {
      path: "/opt/bitnami/wordpress/wp-config.php",
      mode: "640",
      owner: "bitnami",
      group: "daemon",
      readable: true,
      loadsOtherFiles: false,
      constants: { DISALLOW_FILE_EDIT: true, WP_DEBUG: false, WP_AUTO_UPDATE_CORE: "minor" },
    },
    debugLog: null,
    plugins: [["akismet", "5.5"]],
    pluginsMore: 0,
    muPlugins: [],
    muPluginsMore: 0,
    themes: [["twentytwentyfive", "1.3"]],
    themesMore: 0,
    activeTheme: "twentytwentyfive",
    ...overrides,
  };
}

/** The site with these wp-config.php constants (replacing the hardened ones). */
export function withConstants(constants: Record<string, boolean | number | string | null>) {
  const s = site();
  return site({ config: { ...(s.config as NonNullable<WordPressSite["config"]>), constants } });
}

/** A successful inventory run one hour before NOW. */
export function inventoryRun(
  sites: WordPressSite[] = [site()],
  overrides: Partial<WordPressInventoryRun> = {},
): WordPressInventoryRun {
  return {
    commandId: "11111111-2222-4333-8444-555555555555",
    instanceId: NODE,
    requestedAt: new Date(Date.parse(NOW) - 3_600_000).toISOString(),
    status: "Success",
    inventory: { sites, listCap: 200, errors: [] },
    ...overrides,
  };
}

/** wordpress.org's answers, shaped like the fake's default catalog. */
export function orgFacts(overrides: Partial<WordPressOrgFacts> = {}): WordPressOrgFacts {
  return {
    coreStatus: { "6.1.1": "insecure", "6.7.2": "outdated", "6.8.3": "latest" },
    latestCore: "6.8.3",
    plugins: {
      akismet: { state: "listed", version: "5.5" },
      woocommerce: { state: "listed", version: "10.3.5" },
      "display-widgets": { state: "closed", closedDate: "2017-09-08", reason: "Security Issue" },
      "premium-plugin": { state: "unknown" },
    },
    themes: {
      twentytwentyfive: { state: "listed", version: "1.3" },
      twentytwentythree: { state: "listed", version: "1.6" },
    },
    errors: [],
    ...overrides,
  };
}

/** One WordPress instance "blog" mapped to NODE, with these inventories and wordpress.org facts. */
export function wordpressSnapshot(
  options: {
    runs?: WordPressInventoryRun[] | null;
    org?: WordPressOrgFacts | null;
    instance?: LightsailInstance;
    nodes?: ReturnType<typeof managedNode>[];
  } = {},
): AccountSnapshot {
  return snapshot({
    lightsail: [
      region("us-east-1", {
        instances: [options.instance ?? instance("blog")],
        managedNodes: options.nodes ?? [managedNode(NODE, "blog")],
        wordpressInventories: options.runs === undefined ? [inventoryRun()] : options.runs,
      }),
    ],
    wordpressOrg: options.org === undefined ? orgFacts() : options.org,
  });
}

export function wpContext(overrides: Partial<NonNullable<CheckContext["wordpress"]>> = {}) {
  return context({
    wordpress: {
      lookups: true,
      maxAgeSeconds: 2 * 86_400,
      documentName: "lightsail-auditor-prod-wordpress-inventory",
      ...overrides,
    },
  });
}
