/**
 * `slipway check` on a swarm environment, against the 3-node test swarm: the nodes listed, the
 * registry asked, a pull proved on every node; and a clear exit 4 on a worker instead of a
 * manager, with a registry that does not answer, and with a node that cannot pull.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { startRegistry, stopRegistry } from "../support/swarm-daemons.js";
import { startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";
import { tempProject, type TempProject } from "../support/temp-project.js";

const FILES = {
  "docker-compose.yml": ["services:", "  web:", "    build: .", '    ports: ["8000:8000"]', "  db:", "    image: busybox", "    volumes: [data:/data]", "volumes:", "  data: {}", ""].join("\n"),
  "slipway.yml": [
    "environments:",
    "  live: { default: true, driver: swarm, registry: 127.0.0.1:5000/shop }",
    "  closed: { driver: swarm, registry: 127.0.0.1:5999 }",
    "",
  ].join("\n"),
  Dockerfile: "FROM busybox\n",
};

describe("slipway check on a swarm", () => {
  let swarm: TestSwarm;
  let project: TempProject;
  let home: string;
  const check = (args: readonly string[], env: Record<string, string> = {}) => slipway(["check", ...args], { cwd: project.dir, env: { SLIPWAY_HOME: home, ...env }, timeoutMs: 180_000 });

  beforeAll(async () => {
    swarm = await startSwarm();
    project = tempProject(FILES, "shop");
    home = mkdtempSync(join(tmpdir(), "slipway-home-"));
  });
  afterAll(async () => {
    project[Symbol.dispose]();
    rmSync(home, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("lists the nodes, proves each pulls from the registry, notes node-local volumes, and leaves no probe behind", async () => {
    const result = await check([]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("swarm: 3 nodes");
    for (const node of swarm.nodes) expect(result.stdout).toMatch(new RegExp(`^  ${node.hostname}  (manager|worker)  active  ready  pulls from the registry$`, "m"));
    expect(result.stdout).toContain("note: accessory db: its named volumes (data) are node-local");
    const services = await runCommand("docker", ["service", "ls", "--format", "{{.Name}}"]);
    expect(services.stdout.trim()).toBe("");
    const images = await runCommand("docker", ["image", "ls", "--filter", "label=slipway.probe", "--format", "{{.Repository}}"]);
    expect(images.stdout.trim()).toBe("");
  });

  it("fails with exit 4 on a worker's engine: Slipway needs a manager", async () => {
    const worker = swarm.nodes.find((node) => node.host !== undefined);
    const result = await check([], { DOCKER_HOST: worker?.host ?? "" });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("not a manager");
    expect(result.stderr).toContain("point DOCKER_HOST at one");
  });

  it("fails with exit 4 when the registry does not answer", async () => {
    const result = await check(["--env", "closed"]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("the registry 127.0.0.1:5999 does not answer");
  });

  it("fails with exit 4 naming the node that cannot pull", async () => {
    const node = swarm.nodes.find((n) => n.index === 3);
    await stopRegistry(node?.wiring);
    try {
      const result = await check([]);
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toContain(`node ${node?.hostname ?? "?"} cannot pull from the registry 127.0.0.1:5000/shop`);
      expect(result.stderr).toMatch(new RegExp(`^  ${node?.hostname ?? "?"}  worker  active  ready  cannot pull$`, "m"));
      for (const other of swarm.nodes.filter((n) => n !== node)) expect(result.stderr).toMatch(new RegExp(`^  ${other.hostname}  .*  pulls from the registry$`, "m"));
    } finally {
      await startRegistry(node?.wiring);
    }
  });
});
