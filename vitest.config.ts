import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "SILENT",
    },
    // No test reaches the internet (the wordpress.org client uses fetch).
    setupFiles: ["tests/helpers/loopback-only.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
