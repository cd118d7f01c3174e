/**
 * An environment with driver: swarm is read and checked, but its deploys are not available yet:
 * deploy, rollback and promote say so at once, exit 2, and never call the engine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { slipway } from "../support/cli.js";
import { listenFakeEngine } from "../support/fake-engine.js";
import { tempProject } from "../support/temp-project.js";

const FILES = {
  "docker-compose.yml": ["services:", "  web:", "    build: .", '    ports: ["8000:8000"]', ""].join("\n"),
  "slipway.yml": ["environments:", "  test: { default: true }", "  live: { driver: swarm, registry: 127.0.0.1:5000/shop }", ""].join("\n"),
  Dockerfile: "FROM busybox\n",
};

describe("the swarm driver, before its deploys exist", () => {
  it.each([
    ["deploy", ["deploy", "--env", "live"]],
    ["rollback", ["rollback", "--env", "live"]],
    ["promote", ["promote", "test", "live"]],
  ])("%s to a swarm environment fails early with exit 2", async (_name, args) => {
    using project = tempProject(FILES);
    await using engine = await listenFakeEngine();
    const home = mkdtempSync(join(tmpdir(), "slipway-home-"));
    try {
      const result = await slipway(args, { cwd: project.dir, env: { DOCKER_HOST: engine.dockerHost, SLIPWAY_HOME: home } });
      expect(result.stderr).toContain("deploys with the swarm driver are not available yet");
      expect(result.exitCode).toBe(2);
      expect(engine.connections()).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
