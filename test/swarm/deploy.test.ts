/**
 * Deploys to a swarm environment on the 3-node test swarm, through the swarm router, under
 * load from keep-alive clients that never retry: v1, then v2 (0 failed requests, v2 on every
 * task, the release job run once), a rollback to the kept stack (0 failed), and two failures
 * (a release job that exits 1, an image whose healthcheck never passes) that switch nothing,
 * keep the live release serving with 0 failed requests and leave nothing of theirs running; a
 * deploy killed outright, whose stack the next command removes.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, slipway, type CliResult } from "../support/cli.js";
import { freeListenPort } from "../support/hello-repo.js";
import { startLoad, type LoadResult } from "../support/load.js";
import { waitFor } from "../support/swarm-daemons.js";
import { httpdDockerfile, routedSlipwayYml, run } from "../support/swarm-app.js";
import { removeProjectImages, startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";


function compose(releaseExit: number): string {
  return [
    "services:",
    "  web:",
    "    build: .",
    "    image: web:${TAG:-dev}",
    "    init: true",
    "  release:",
    "    image: web:${TAG:-dev}",
    `    command: ["sh", "-c", "echo migrating; exit ${releaseExit}"]`,
    "",
  ].join("\n");
}

describe("deploys to a swarm environment", () => {
  let swarm: TestSwarm;
  let root: string;
  let dir: string;
  let port: number;
  const project = `swarmdeploy-${Math.random().toString(36).slice(2, 8)}`;
  const env = (): Record<string, string> => ({ SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester", SLIPWAY_SWARM_ROUTER_NAME: `slipway-router-${project}` });
  const cli = (args: string[]): Promise<CliResult> => slipway(args, { cwd: dir, env: env(), timeoutMs: 280_000 });
  const git = (args: string[]): Promise<string> => run("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", ...args]);

  async function commit(version: string, options: { health?: string; releaseExit?: number } = {}): Promise<void> {
    writeFileSync(join(dir, "www/index.html"), `${version}\n`);
    writeFileSync(join(dir, "Dockerfile"), httpdDockerfile(options.health));
    writeFileSync(join(dir, "compose.yaml"), compose(options.releaseExit ?? 0));
    await git(["add", "-A"]);
    await git(["commit", "-q", "-m", version]);
  }

  async function answers(count: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
      seen.push((await response.text()).trim());
    }
    return [...new Set(seen)].sort();
  }

  async function underLoad(body: () => Promise<CliResult>): Promise<{ result: CliResult; load: LoadResult }> {
    const load = startLoad({ port, connections: 16, maxSeconds: 240 });
    await new Promise((ok) => setTimeout(ok, 1000));
    const result = await body();
    await new Promise((ok) => setTimeout(ok, 1000));
    return { result, load: await load.stop() };
  }

  const replicasOf = async (stack: string): Promise<string> => run("docker", ["service", "ls", "--filter", `label=com.docker.stack.namespace=${stack}`, "--format", "{{.Name}} {{.Replicas}}"]);

  beforeAll(async () => {
    swarm = await startSwarm();
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-deploy-"));
    dir = join(root, "repo");
    port = await freeListenPort();
    mkdirSync(join(dir, "www"), { recursive: true });
    writeFileSync(join(dir, "slipway.yml"), routedSlipwayYml({ project, listen: port, registry: `${swarm.registry}/${project}`, deadline: "20s", live: "replicas: { web: 2 }" }));
    await run("git", ["init", "-q", "-b", "main", dir]);
    await commit("v1");
  });

  afterAll(async () => {
    await removeProjectImages(project);
    rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("deploys v1 through the router, its tasks spread over the nodes", async () => {
    const result = await cli(["deploy"]);
    expect(result.stderr).toContain("is live");
    expect(result.exitCode).toBe(0);
    expect(await answers(10)).toEqual(["v1"]);
    const nodes = await run("docker", ["service", "ps", `${project}-live-v1_web`, "--filter", "desired-state=running", "--format", "{{.Node}}"]);
    expect(new Set(nodes.split("\n")).size).toBe(2);
    const status = await cli(["status"]);
    expect(status.stdout).toMatch(new RegExp(`${project}-live-v1_web  v1  2/2: \\S+ running, \\S+ running`));
    expect(status.stdout).toContain("drift: none");
    expect(status.exitCode).toBe(0);
  });

  it("deploys v2 under load with 0 failed requests, runs the release job once, and keeps v1's stack at 0 tasks", async () => {
    await commit("v2");
    const { result, load } = await underLoad(() => cli(["deploy"]));
    expect(result.stderr).toContain("is live");
    expect(result.exitCode).toBe(0);
    expect(load.requests).toBeGreaterThan(100);
    expect(load.failed).toBe(0);
    expect(await answers(10)).toEqual(["v2"]);
    expect(result.stderr.match(/migrating/g)?.length ?? 0).toBe(1);
    // Kept at 0 tasks: the drained tasks stop a moment after the switch.
    await waitFor("v1's tasks stopped", async () => (await replicasOf(`${project}-live-v1`)) === `${project}-live-v1_web 0/0`, 30_000);
    expect(await run("docker", ["service", "ls", "-q", "--filter", `name=${project}-live-v2_release`])).toBe("");
  });

  it("rolls back to the kept stack under load with 0 failed requests", async () => {
    const { result, load } = await underLoad(() => cli(["rollback"]));
    expect(result.stderr).toContain("scaled the kept stack");
    expect(result.exitCode).toBe(0);
    expect(load.failed).toBe(0);
    expect(await answers(10)).toEqual(["v1"]);
    expect(await replicasOf(`${project}-live-v1`)).toBe(`${project}-live-v1_web 2/2`);
  });

  it("switches nothing when the release job exits 1: the live release keeps serving, nothing of the new one is left", async () => {
    await commit("v4", { releaseExit: 1 });
    const { result, load } = await underLoad(() => cli(["deploy"]));
    expect(result.stderr).toMatch(/release task release exited with 1/);
    expect(result.exitCode).not.toBe(0);
    expect(load.failed).toBe(0);
    expect(await answers(10)).toEqual(["v1"]);
    expect(await run("docker", ["service", "ls", "-q", "--filter", `label=slipway.release=v4`, "--filter", `label=slipway.project=${project}`])).toBe("");
  });

  it("switches nothing when the new tasks never get healthy, and removes them", async () => {
    await commit("v5", { health: "false" });
    const { result, load } = await underLoad(() => cli(["deploy"]));
    expect(result.stderr).toMatch(/not all running and healthy/);
    expect(result.exitCode).not.toBe(0);
    expect(load.failed).toBe(0);
    expect(await answers(10)).toEqual(["v1"]);
    expect(await run("docker", ["service", "ls", "-q", "--filter", `label=slipway.release=v5`, "--filter", `label=slipway.project=${project}`])).toBe("");
  });

  it("removes what a deploy killed outright left running (its stack) at the next command, the live release serving on", async () => {
    await commit("v6", { health: "false" });
    const killed = spawn(process.execPath, [BIN, "deploy"], { cwd: dir, env: { ...process.env, ...env() }, stdio: "ignore" });
    const strayServices = async (): Promise<string[]> =>
      (await run("docker", ["service", "ls", "--filter", `label=slipway.project=${project}`, "--format", "{{.Name}}"])).split("\n").filter((name) => name.endsWith("_web") && !name.includes("-live-v1_") && !name.includes("-live-v2_"));
    await waitFor("the killed deploy's stack", async () => (await strayServices()).length > 0, 120_000);
    const [stray = ""] = await strayServices();
    killed.kill("SIGKILL");
    await new Promise((ok) => killed.once("exit", ok));

    const status = await cli(["status"]);
    expect(status.stdout + status.stderr).toMatch(/reconciled: deployment \d+ \(deploy of [^)]+\) was interrupted during verify/);
    expect(status.stdout + status.stderr).toContain(`stack ${stray.slice(0, -"_web".length)}`);
    expect(await strayServices()).toEqual([]);
    expect(await run("docker", ["network", "ls", "-q", "--filter", `label=com.docker.stack.namespace=${stray.slice(0, -"_web".length)}`])).toBe("");
    expect(await answers(5)).toEqual(["v1"]);
  });

  it("takes the environment down: its services, networks and the router (its last route) go", async () => {
    const result = await cli(["down"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await run("docker", ["service", "ls", "-q", "--filter", `label=slipway.project=${project}`])).toBe("");
    expect(await run("docker", ["network", "ls", "-q", "--filter", `label=slipway.project=${project}`])).toBe("");
    expect(await run("docker", ["service", "ls", "-q", "--filter", `name=slipway-router-${project}`])).toBe("");
  });
});
