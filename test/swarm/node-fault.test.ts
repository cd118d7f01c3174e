/**
 * A worker node lost under steady load: its dockerd and everything in its network namespace
 * killed. Swarm reschedules its task on the other nodes, the router follows the tasks it
 * resolves, and `slipway status` names the lost node. The failed requests while the node's
 * loss is being noticed are reported (Swarm needs its heartbeat timeout to call a node down);
 * once the tasks are rescheduled, every request succeeds again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slipway, type CliResult } from "../support/cli.js";
import { freeListenPort } from "../support/hello-repo.js";
import { startRequestLoad } from "../support/load.js";
import { report } from "../support/report.js";
import { stopWorkerProcesses, waitFor, workerHostname } from "../support/swarm-daemons.js";
import { httpdDockerfile, routedSlipwayYml, run } from "../support/swarm-app.js";
import { removeProjectImages, startSwarm, teardownSwarm } from "../support/swarm-harness.js";
import { workerWiring } from "../support/swarm-network.js";


describe("a worker node lost under load", () => {
  let root: string;
  let dir: string;
  let port: number;
  const project = `swarmfault-${Math.random().toString(36).slice(2, 8)}`;
  const cli = (args: string[]): Promise<CliResult> =>
    slipway(args, { cwd: dir, env: { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester", SLIPWAY_SWARM_ROUTER_NAME: `slipway-router-${project}` }, timeoutMs: 280_000 });

  beforeAll(async () => {
    const swarm = await startSwarm();
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-fault-"));
    dir = join(root, "repo");
    port = await freeListenPort();
    mkdirSync(join(dir, "www"), { recursive: true });
    writeFileSync(join(dir, "www/index.html"), "v1\n");
    writeFileSync(join(dir, "Dockerfile"), httpdDockerfile());
    writeFileSync(join(dir, "compose.yaml"), ["services:", "  web:", "    build: .", "    image: web:${TAG:-dev}", "    init: true", ""].join("\n"));
    // One task per node (Swarm spreads them), so the lost node surely held one.
    writeFileSync(join(dir, "slipway.yml"), routedSlipwayYml({ project, listen: port, registry: `${swarm.registry}/${project}`, deadline: "30s", live: "replicas: { web: 3 }" }));
    await run("git", ["init", "-q", "-b", "main", dir]);
    await run("git", ["-C", dir, "add", "-A"]);
    await run("git", ["-C", dir, "-c", "user.email=t@slipway.invalid", "-c", "user.name=t", "commit", "-q", "-m", "v1"]);
    const deployed = await cli(["deploy"]);
    if (deployed.exitCode !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
  });

  afterAll(async () => {
    await removeProjectImages(project);
    rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("reschedules the lost node's task, keeps serving, and names the node in status", async () => {
    const service = `${project}-live-v1_web`;
    const lost = workerHostname(3);
    const tasksOn = async (): Promise<string[]> => (await run("docker", ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"])).split("\n");
    expect((await tasksOn()).some((line) => line.startsWith(`${lost} Running`))).toBe(true);

    const load = startRequestLoad({ port, connections: 8 });
    await new Promise((ok) => setTimeout(ok, 1000));
    const lostAt = Date.now();
    await stopWorkerProcesses(workerWiring(3));
    await waitFor("3 tasks running on the other nodes", async () => {
      const lines = await tasksOn();
      return lines.filter((line) => / Running/.test(line) && !line.startsWith(lost)).length === 3;
    }, 120_000);
    const rescheduledAfterS = (Date.now() - lostAt) / 1000;
    // The router drops the lost task's address when Docker's DNS and its checks say so.
    await new Promise((ok) => setTimeout(ok, 5000));
    const during = await load.stop();
    const failedDuring = during.refused + during.lostInFlight + Object.values(during.statuses).reduce((a, b) => a + b, 0);
    report(`node ${lost} lost: its task rescheduled after ${rescheduledAfterS.toFixed(1)} s; requests meanwhile: ${during.ok} ok, ${failedDuring} failed (${JSON.stringify({ statuses: during.statuses, refused: during.refused, lostInFlight: during.lostInFlight, errors: during.errors })})`);
    expect(during.ok).toBeGreaterThan(100);

    const after = startRequestLoad({ port, connections: 8 });
    await new Promise((ok) => setTimeout(ok, 3000));
    const steady = await after.stop();
    expect(steady.ok).toBeGreaterThan(100);
    expect(steady.refused + steady.lostInFlight + Object.keys(steady.statuses).length).toBe(0);

    const status = await cli(["status"]);
    expect(status.stdout).toMatch(new RegExp(`node ${lost} is (down|unknown|disconnected)`));
    expect(status.exitCode).toBe(1);
  });
});
