import { defineConfig } from "vitest/config";

// Five projects: `unit` needs no Docker engine; `docker` talks to a real one; `browser` drives
// the web UI in Debian's Chromium against a real `slipway serve` and engine; `dockerd-restart`
// restarts the engine itself; `swarm` makes the engine a swarm manager with two more nodes.
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
          exclude: ["test/docker/dockerd-restart.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Restarts dockerd, which stops every container on the engine: run alone, after the rest.
        test: {
          name: "dockerd-restart",
          include: ["test/docker/dockerd-restart.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
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
      {
        // Makes the engine a swarm manager and adds two dockerds beside it: run alone, after the
        // rest, under flock /tmp/slipway-swarm.lock (npm test, npm run test:swarm), so that two
        // runs on one machine never tear each other's swarm down.
        test: {
          name: "swarm",
          include: ["test/swarm/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
