import { defineConfig } from "vitest/config";

// Three projects: `unit` needs no Docker engine; `docker` talks to a real one; `browser` drives
// the web UI in Debian's Chromium against a real `slipway serve` and engine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/unit/**/*.test.ts", "test/plan/**/*.test.ts", "test/cli/**/*.test.ts"],
          testTimeout: 30_000,
          globalSetup: ["test/support/postgres-setup.ts"],
        },
      },
      {
        test: {
          name: "docker",
          include: ["test/docker/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
