import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const noNetwork = fileURLToPath(new URL("tests/no-network.mjs", import.meta.url));

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      // Every Node process a test starts (the CLI, osls, the bundled handler) reaches loopback only.
      NODE_OPTIONS: `--import=${noNetwork}`,
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
