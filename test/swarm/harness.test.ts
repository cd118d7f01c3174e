/**
 * The 3-node test swarm itself: nodes Ready, an image built here and pushed to the registry
 * runs on every node, and teardown leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { bridgeExists, managerSwarm, netnsList, readyNodes, startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";

const docker = async (args: readonly string[], input?: string): Promise<string> => {
  const result = await runCommand("docker", args, { timeoutMs: 120_000, ...(input === undefined ? {} : { input }) });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
};

describe("the 3-node test swarm", () => {
  let swarm: TestSwarm;
  beforeAll(async () => {
    swarm = await startSwarm();
  });
  afterAll(async () => {
    await teardownSwarm();
  });

  it("has three Ready nodes, each with its own hostname", async () => {
    expect((await readyNodes()).sort()).toEqual(swarm.nodes.map((node) => node.hostname).sort());
    expect(new Set(swarm.nodes.map((node) => node.hostname)).size).toBe(3);
  });

  it("runs an image pushed to the registry on every node", async () => {
    const image = `${swarm.registry}/slipway-test/hello:${Date.now()}`;
    await docker(["build", "--label", "slipway.test=swarm", "-t", image, "-"], 'FROM busybox\nCMD ["sleep", "600"]\n');
    const service = "slipway-test-hello";
    try {
      await docker(["push", image]);
      await docker(["service", "create", "--detach", "--name", service, "--label", "slipway.test=swarm", "--replicas", "3", "--replicas-max-per-node", "1", "--stop-grace-period", "1s", image]);
      const deadline = Date.now() + 60_000;
      let nodes: string[] = [];
      while (Date.now() < deadline) {
        const lines = (await docker(["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"])).split("\n");
        nodes = lines.filter((line) => line.includes(" Running ")).map((line) => line.split(" ")[0] ?? "");
        if (nodes.length === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(nodes.sort()).toEqual(swarm.nodes.map((node) => node.hostname).sort());
    } finally {
      await runCommand("docker", ["service", "rm", service]);
      await runCommand("docker", ["image", "rm", image]);
    }
  });

  it("tears down completely, and again without complaint", async () => {
    await teardownSwarm();
    await teardownSwarm();
    expect((await netnsList()).filter((name) => name.startsWith("slw-"))).toEqual([]);
    expect(await bridgeExists()).toBe(false);
    expect((await managerSwarm()).state).toBe("inactive");
  });
});
