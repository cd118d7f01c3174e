import { defineConfig } from "vitest/config";

// Two projects: `unit` needs no Docker engine; `docker` talks to a real one.
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
    ],
  },
});
