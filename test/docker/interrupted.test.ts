/**
 * Deployers killed outright or asked to stop, against the real engine: the live release keeps
 * serving; a kill -9 at any step is reconciled by the next command (rows interrupted, nothing of
 * the dead release left, its release task gone before the next one starts, no env file on
 * disk); SIGTERM or SIGINT before the switch cancels cleanly, after it lets the deploy finish;
 * a lock whose pid was reused, or one broken by hand, never wedges the environment.
 */
import { readdirSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { openStore } from "../../src/store/store.js";
import { helloRepo, type HelloRepo } from "../support/hello-repo.js";
import { startLoad } from "../support/load.js";
import { stepStarted, watchSlipway, type Watched } from "../support/watched-cli.js";

let repo: HelloRepo;
let round = 0;

const BACKEND = "backend/www/cgi-bin/index.cgi";

async function containersOf(release: string): Promise<string[]> {
  const result = await runCommand("docker", ["ps", "-aq", "--filter", `label=slipway.project=${repo.project}`, "--filter", `label=slipway.release=${release}`]);
  return result.stdout.split("\n").filter(Boolean);
}

function envFiles(): string[] {
  const root = join(repo.env.SLIPWAY_HOME ?? "", "releases");
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : name.endsWith(".env") ? [join(dir, name)] : []));
  return walk(root);
}

async function deploymentStatus(id: number): Promise<string | undefined> {
  await using store = await openStore({ home: repo.env.SLIPWAY_HOME ?? "" });
  return (await store.deployment(id))?.status;
}

/** A new commit (a new build), and a deploy of it whose events the test watches. */
async function startDeploy(files: Record<string, string> = {}): Promise<{ watched: Watched; deploymentId: number; release: string; tag: string }> {
  round++;
  const cgi = (await runCommand("cat", [join(repo.dir, BACKEND)])).stdout;
  const tag = await repo.commit({ [BACKEND]: cgi.replace(/(# round \d+\n)?$/, `# round ${round}\n`), ...files }, `round ${round}`);
  const watched = watchSlipway(["deploy", "--json"], { cwd: repo.dir, env: repo.env });
  const queued = await watched.until((e) => e.event === "queued");
  const releases = JSON.parse((await repo.slipway(["releases", "--json"])).stdout) as Array<{ number: number }>;
  return { watched, deploymentId: queued.deploymentId ?? 0, release: `v${(releases[0]?.number ?? 0) + 1}`, tag };
}

beforeAll(async () => {
  repo = await helloRepo("killed");
  const first = await repo.slipway(["deploy"]);
  expect(first.exitCode).toBe(0);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("a deployer killed with -9", () => {
  it.each(["build", "release", "start", "verify", "retire"])("at %s: status names it, the next deploy finds nothing of it left", async (step) => {
    const load = startLoad({ port: repo.port, connections: 10 });
    // At the release step, a task that runs long enough to be killed in the middle of.
    const slow: Record<string, string> = step === "release" ? { "docker-compose.prod.yml": (await runCommand("cat", [join(repo.dir, "docker-compose.prod.yml")])).stdout.replace('command: ["/app/release.sh"]', 'command: ["sh", "-c", "sleep 60; /app/release.sh"]') } : {};
    const { watched, deploymentId, release } = await startDeploy(slow);
    await watched.until(stepStarted(step));
    if (step === "release") {
      for (let i = 0; i < 100 && (await containersOf(release)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await containersOf(release)).toHaveLength(1);
    }
    watched.child.kill("SIGKILL");
    expect(await watched.exited).toBe(137);
    const served = await load.stop();
    expect(served.failed).toBe(0);

    const status = await repo.slipway(["status"]);
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`interrupted: deployment ${deploymentId} \\(deploy of HEAD\\): its process stopped during ${step}`));
    expect(await deploymentStatus(deploymentId)).toBe("interrupted");
    expect(envFiles()).toEqual([]);
    // Switched before the kill: the release is live and stays so; else nothing of it is left.
    if (step !== "retire") expect(await containersOf(release)).toEqual([]);

    if (step === "release") await repo.commit({ "docker-compose.prod.yml": slow["docker-compose.prod.yml"]?.replace('"sh", "-c", "sleep 60; /app/release.sh"', '"/app/release.sh"') ?? "" }, "release task back");
    const next = await repo.slipway(["deploy"]);
    expect(next.exitCode).toBe(0);
    expect(await repo.slipway(["status"])).toMatchObject({ exitCode: 0 });
    expect(envFiles()).toEqual([]);
  });
});

describe("a deployer asked to stop", () => {
  it.each([
    { signal: "SIGTERM", at: "start" },
    { signal: "SIGINT", at: "verify" },
  ] as const)("$signal at $at (before the switch): cancelled, nothing of the new release left", async ({ signal, at }) => {
    const before = (await repo.get("/")).body;
    const { watched, deploymentId, release } = await startDeploy();
    await watched.until(stepStarted(at));
    watched.child.kill(signal);
    expect(await watched.exited).toBe(1);
    expect(watched.events.at(-1)).toMatchObject({ event: "cancelled", deploymentId });
    expect(await deploymentStatus(deploymentId)).toBe("cancelled");
    expect(await containersOf(release)).toEqual([]);
    expect((await repo.get("/")).body).toBe(before);
    expect(envFiles()).toEqual([]);
  });

  it("SIGTERM after the switch: the new release is live and its retire finished", async () => {
    const { watched, deploymentId, tag } = await startDeploy();
    await watched.until(stepStarted("retire"));
    watched.child.kill("SIGTERM");
    expect(await watched.exited).toBe(0);
    expect(watched.events.some((e) => e.event === "step" && e.step === "retire" && e.status === "succeeded")).toBe(true);
    expect(watched.events.at(-1)).toMatchObject({ event: "live", deploymentId });
    expect(await deploymentStatus(deploymentId)).toBe("succeeded");
    expect((await repo.get("/")).body.split("\n")[0]).toBe(`hello from ${tag}`);
  });
});

describe("locks that cannot wedge", () => {
  it("a lock whose pid is alive but is another process is taken over by the next deploy", async () => {
    {
      await using store = await openStore({ home: repo.env.SLIPWAY_HOME ?? "" });
      const environmentId = (await store.environments((await store.projectId(repo.project)) ?? 0))[0]?.id ?? 0;
      // pid 1 runs, but not since the start this row records: the pid was reused.
      await store.acquireLock(environmentId, { description: "a deployer long gone", pid: 1, hostname: hostname(), started: "00000000-0000-0000-0000-000000000000:1" });
    }
    const result = await repo.slipway(["deploy", "--no-wait"]);
    expect(result.exitCode).toBe(0);
  });

  it("slipway unlock --yes breaks a live holder's lock, and says who held it", async () => {
    await using store = await openStore({ home: repo.env.SLIPWAY_HOME ?? "" });
    const environmentId = (await store.environments((await store.projectId(repo.project)) ?? 0))[0]?.id ?? 0;
    await store.acquireLock(environmentId, { description: "a deployer that hangs" });
    expect((await repo.slipway(["deploy", "--no-wait"])).exitCode).toBe(3);
    const unlocked = await repo.slipway(["unlock", "--yes"]);
    expect(unlocked.exitCode).toBe(0);
    expect(unlocked.stderr).toMatch(/locked by a deployer that hangs \(pid \d+ on /);
    expect(unlocked.stdout).toBe("lock broken\n");
    expect((await repo.slipway(["unlock"])).stdout).toBe("the environment is not locked\n");
    expect((await repo.slipway(["deploy", "--no-wait"])).exitCode).toBe(0);
  });
});
