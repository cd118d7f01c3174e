/**
 * Accessories of a swarm environment: their own stack, pinned to the manager, started by the
 * first deploy and never recreated by the next; `slipway accessories` lists them with their
 * state, prints their logs, `restart` replaces its task, and `up` recreates one from today's compose files as a swarm
 * service update, its named volume kept.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slipway, type CliResult } from "../support/cli.js";
import { run } from "../support/swarm-app.js";
import { waitFor } from "../support/swarm-daemons.js";
import { removeProjectImages, startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";


function compose(greeting: string): string {
  return [
    "services:",
    "  worker:",
    "    build: .",
    "    image: worker:${TAG:-dev}",
    "    init: true",
    // Never on the manager: exec finds no task of it here.
    "    deploy: { placement: { constraints: [node.role == worker] } }",
    "  cache:",
    "    image: busybox",
    "    init: true",
    // Each start appends a line to its volume, and says what it found there.
    `    command: ["sh", "-c", "echo ${greeting} >> /data/starts; cat /data/starts; exec sleep 600"]`,
    "    volumes: [cachedata:/data]",
    "volumes:",
    "  cachedata: {}",
    "",
  ].join("\n");
}

describe("accessories on a swarm environment", () => {
  let swarm: TestSwarm;
  let root: string;
  let dir: string;
  const project = `swarmacc-${Math.random().toString(36).slice(2, 8)}`;
  const service = `${project}-live-accessories_cache`;
  const cli = (args: string[]): Promise<CliResult> => slipway(args, { cwd: dir, env: { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester", SLIPWAY_SWARM_ROUTER_NAME: `slipway-router-${project}` }, timeoutMs: 280_000 });
  const git = (args: string[]): Promise<string> => run("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", ...args]);
  const taskIds = async (): Promise<string[]> => (await run("docker", ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.ID}}"])).split("\n").filter(Boolean);

  beforeAll(async () => {
    swarm = await startSwarm();
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-acc-"));
    dir = join(root, "repo");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Dockerfile"), 'FROM busybox\nCMD ["sleep", "600"]\n');
    writeFileSync(join(dir, "compose.yaml"), compose("one"));
    writeFileSync(join(dir, "slipway.yml"), [`project: ${project}`, "environments:", `  live: { default: true, driver: swarm, registry: ${swarm.registry}/${project} }`, ""].join("\n"));
    await run("git", ["init", "-q", "-b", "main", dir]);
    await git(["add", "-A"]);
    await git(["commit", "-q", "-m", "v1"]);
  });

  afterAll(async () => {
    await cli(["down", "--volumes"]);
    await removeProjectImages(project);
    rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("starts them with the first deploy, on the manager, and leaves them be at the next", async () => {
    const first = await cli(["deploy"]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain(`starting accessories as stack ${project}-live-accessories: cache`);
    const [task] = await taskIds();
    expect(await run("docker", ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.Node}}"])).toBe(swarm.nodes[0]?.hostname);

    writeFileSync(join(dir, "Dockerfile"), 'FROM busybox\nRUN true\nCMD ["sleep", "600"]\n');
    await git(["commit", "-q", "-am", "v2"]);
    const second = await cli(["deploy"]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(await taskIds()).toEqual([task]);
  });

  it("lists them with their state, and prints their logs", async () => {
    const listed = await cli(["accessories"]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/cache\s+busybox\s+running/);
    const logs = await cli(["accessories", "logs", "cache"]);
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout.trim().split("\n")).toEqual(["one"]);
  });

  it("restarts one as a swarm service: a new task in place of the old, never two", async () => {
    const [before] = await taskIds();
    const restarted = await cli(["accessories", "restart", "cache"]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    await waitFor("the restarted task running", async () => {
      const now = (await run("docker", ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.ID}} {{.CurrentState}}"])).split("\n").filter(Boolean);
      return now.length === 1 && !now[0]?.startsWith(`${before ?? ""} `) && (now[0]?.includes(" Running ") ?? false);
    });
    // Never two at once: the old task's container is stopped before the new one starts.
    expect(await run("docker", ["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${service}`])).not.toContain("\n");
    const logs = await cli(["accessories", "logs", "cache"]);
    expect(logs.stdout.trim().split("\n")).toEqual(["one", "one"]);
  });

  it("recreates one from today's compose files with up, its volume kept", async () => {
    const [before] = await taskIds();
    writeFileSync(join(dir, "compose.yaml"), compose("two"));
    await git(["commit", "-q", "-am", "cache says two"]);
    const drift = await cli(["accessories"]);
    expect(drift.stdout).toMatch(/command/);
    const up = await cli(["accessories", "up", "cache", "--yes"]);
    expect(up.exitCode, up.stderr).toBe(0);
    const after = await taskIds();
    expect(after.length).toBe(1);
    expect(after).not.toContain(before);
    const logs = await cli(["accessories", "logs", "cache"]);
    expect(logs.stdout.trim().split("\n")).toEqual(["one", "one", "two"]);
    // One accessory only: no compose container beside the swarm task.
    expect(await run("docker", ["ps", "-q", "--filter", `label=com.docker.compose.project=${project}-live-accessories`])).toBe("");
  });

  it("runs a one-off command as a swarm job from the live image, and execs in the accessory's container", async () => {
    const ran = await cli(["run", "worker", "--", "sh", "-c", "echo from the job; ls /bin/sleep; exit 3"]);
    expect(ran.stdout).toContain("from the job");
    expect(ran.stdout).toContain("/bin/sleep");
    expect(ran.exitCode).toBe(3);
    expect(await run("docker", ["service", "ls", "-q", "--filter", "label=slipway.one-off=run", "--filter", `label=slipway.project=${project}`])).toBe("");
    const execd = await cli(["exec", "cache", "--", "cat", "/data/starts"]);
    expect(execd.exitCode, execd.stderr).toBe(0);
    expect(execd.stdout.trim().split("\n")).toEqual(["one", "one", "two"]);
  });

  it("execs in a task on another node through the Docker context named after that node, and says how to make one when there is none", async () => {
    const workers = swarm.nodes.filter((node) => node.host !== undefined);
    const placed = (await run("docker", ["service", "ps", `${project}-live-v2_worker`, "--filter", "desired-state=running", "--format", "{{.Node}}"])).split("\n").filter(Boolean);
    expect(placed).toHaveLength(1);
    const config = join(root, "docker-config");
    mkdirSync(config, { recursive: true });
    const withConfig = (args: string[]): Promise<CliResult> => slipway(args, { cwd: dir, env: { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester", DOCKER_CONFIG: config }, timeoutMs: 120_000 });
    const none = await withConfig(["exec", "worker", "--", "true"]);
    expect(none.stderr).toContain(`no task of worker runs on this node (they run on ${placed[0] ?? "?"}), and the Docker CLI has no context for that node: create one named after the node, such as docker context create ${placed[0] ?? "?"} --docker host=ssh://USER@${placed[0] ?? "?"}`);
    expect(none.exitCode).toBe(2);
    for (const node of workers) await run("docker", ["--config", config, "context", "create", node.hostname, "--docker", `host=${node.host ?? ""}`]);
    const execd = await withConfig(["exec", "worker", "--", "sh", "-c", "hostname; exit 5"]);
    expect(execd.exitCode, execd.stderr).toBe(5);
    const container = execd.stdout.trim();
    expect(container).toMatch(/^[0-9a-f]{12}$/);
    // That container is the worker's task, on the node it was placed on.
    const node = workers.find((w) => w.hostname === placed[0]);
    const there = await run("docker", ["-H", node?.host ?? "", "ps", "-q", "--filter", `label=com.docker.swarm.service.name=${project}-live-v2_worker`]);
    expect(there.split("\n")).toContain(container);
  });

  it("takes them down with the environment, their volume too with --volumes", async () => {
    const down = await cli(["down", "--volumes"]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await run("docker", ["service", "ls", "-q", "--filter", `label=slipway.project=${project}`])).toBe("");
    expect(await run("docker", ["volume", "ls", "-q", "--filter", `label=slipway.project=${project}`])).toBe("");
  });
});
