/**
 * The whole live release comes back after a restart of dockerd, with no Slipway command: its
 * containers (a worker among them) and accessories start again under their restart policy, at
 * the host ports Slipway allocated, and the router starts with their addresses in its file.
 * The previous release, kept frozen for a rollback, stays down.
 *
 * Restarting dockerd stops every container on this engine (live-restore is off), so this file
 * is a vitest project of its own, run alone after the rest of the suite:
 *   npx vitest run --project dockerd-restart
 * It needs root (it signals dockerd) and starts dockerd again whatever happens.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { ensureDockerd, findDockerd, startDockerd, stopDockerd, waitForEngine, type Daemon } from "../support/dockerd.js";
import { freeListenPort, helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";
import { report } from "../support/report.js";

const WORKER = `  # A worker on the backend's image (the same build): no port, not routed.
  worker:
    build:
      context: ./backend
      args:
        APP_VERSION: \${TAG:-dev}
    image: hello-backend:\${TAG:-dev}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    healthcheck:
      disable: true
    depends_on:
      - db

`;

let repo: HelloRepo;
let daemon: Daemon | undefined;

async function docker(args: string[]): Promise<string[]> {
  const result = await runCommand("docker", args);
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean);
}

/** "release/service status" of each of the project's containers. */
async function states(): Promise<string[]> {
  return (await docker(["ps", "-a", "--filter", `label=slipway.project=${repo.project}`, "--format", '{{.Label "slipway.release"}}/{{.Label "slipway.service"}} {{.State}}'])).sort();
}

const commit = async (): Promise<string> => (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim().slice(0, 12);

beforeAll(async () => {
  repo = await helloRepo("dockerd-restart", { port: await freeListenPort() });
  const compose = readFileSync(join(repo.dir, "docker-compose.yml"), "utf8").replace("  # Accessory: stands in for Postgres", `${WORKER}  # Accessory: stands in for Postgres`);
  expect(compose).toContain("  worker:");
  await repo.commit({ "docker-compose.yml": compose, "slipway.yml": slipwayYml(repo.project, repo.port, "keep_previous: paused") }, "a worker; keep the previous release frozen");
  for (const version of ["v1", "v2"]) {
    if (version === "v2") await repo.commit({ "backend/static/app.css": `${readFileSync(join(repo.dir, "backend/static/app.css"), "utf8")}\n/* v2 */\n` }, "v2");
    const deployed = await repo.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
  }
});

afterAll(async () => {
  if (daemon) await ensureDockerd(daemon);
  await repo?.[Symbol.asyncDispose]();
});

describe("a restart of dockerd", () => {
  it("brings back the live release, its worker and accessories, and the app through the router, with no Slipway command", async () => {
    const live = await commit();
    expect((await repo.get("/")).body.startsWith(`hello from ${live}`)).toBe(true);
    expect(await states()).toEqual(["accessories/db running", "v1/backend paused", "v1/frontend paused", "v1/worker paused", "v2/backend running", "v2/frontend running", "v2/worker running"]);
    const port = async (): Promise<string[]> => docker(["ps", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.service=frontend", "--filter", "status=running", "--format", "{{.Ports}}"]);
    const portBefore = await port();
    const router = repo.env.SLIPWAY_ROUTER_NAME ?? "";

    daemon = findDockerd();
    expect(daemon, "no dockerd process found in /proc").toBeDefined();
    if (!daemon) return;
    const stopping = Date.now();
    let engineAt: number | undefined;
    let appAt = 0;
    let allAt = 0;
    try {
      await stopDockerd(daemon);
      const stopped = Date.now();
      startDockerd(daemon);
      engineAt = await waitForEngine(60_000);
      report(`dockerd restart: stopped in ${((stopped - stopping) / 1000).toFixed(1)} s (every container with it), answering ${((engineAt - stopped) / 1000).toFixed(1)} s after it was started again`);
      const deadline = engineAt + 60_000;
      const expected = ["accessories/db running", "v2/backend running", "v2/frontend running", "v2/worker running"];
      while ((appAt === 0 || allAt === 0) && Date.now() < deadline) {
        if (appAt === 0) {
          const reply = await repo.get("/").catch(() => undefined);
          if (reply?.status === 200 && reply.body.startsWith(`hello from ${live}`)) appAt = Date.now();
        }
        if (allAt === 0) {
          const running = (await states()).filter((s) => s.endsWith(" running"));
          const routerUp = (await docker(["inspect", "--format", "{{.State.Running}}", router]))[0] === "true";
          if (routerUp && JSON.stringify(running) === JSON.stringify(expected)) allAt = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await ensureDockerd(daemon);
    }
    const since = (at: number): string => (at && engineAt ? `${((at - engineAt) / 1000).toFixed(1)} s` : "never (60 s)");
    report(`dockerd restart: the app answered the live commit ${since(appAt)} after the engine answered (target <= 30 s); the live release, its worker, its accessory and the router all ran after ${since(allAt)}`);
    if (engineAt === undefined) throw new Error("the engine never answered again");
    expect(appAt, "the app did not answer the live commit within 60 s of the engine").toBeGreaterThan(0);
    expect(allAt, `not all of it ran within 60 s: ${(await states()).join(", ")}`).toBeGreaterThan(0);
    expect(appAt - engineAt).toBeLessThanOrEqual(60_000);
    // The same host port as before; the release kept frozen for a rollback stays down.
    expect(await port()).toEqual(portBefore);
    expect((await states()).filter((s) => s.startsWith("v1/") && s.endsWith(" running"))).toEqual([]);
  });
});
