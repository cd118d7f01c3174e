/**
 * keep_previous: auto, the default, against the real engine: the previous release's serving
 * containers (the routed frontend and the backend it depends on) are frozen, its worker
 * stopped; a rollback under load thaws the very same containers, switches, and only then
 * starts the worker, on the old image. The route is probed by the image's own HEALTHCHECK,
 * which Slipway runs itself: ready well before Docker's first check (every 5 s) would say so.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { helloRepo, type HelloRepo } from "../support/hello-repo.js";
import { startLoad } from "../support/load.js";

const WORKER = `  # A worker on the backend's image: no port, not routed, nothing depends on it.
  worker:
    image: hello-backend:\${TAG:-dev}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    healthcheck:
      disable: true
    depends_on:
      - db

`;

let repo: HelloRepo;
let firstDeploy: string;

interface Kept {
  readonly id: string;
  readonly image: string;
  readonly state: string;
}

/** service → its container's id, image and state, for one release of the project. */
async function containers(release: string): Promise<Record<string, Kept>> {
  const filters = ["label=slipway.role=app", `label=slipway.project=${repo.project}`, `label=slipway.release=${release}`].flatMap((f) => ["--filter", f]);
  const ids = (await runCommand("docker", ["ps", "--all", "--quiet", ...filters])).stdout.split("\n").filter(Boolean);
  const format = '{{index .Config.Labels "slipway.service"}} {{.Id}} {{.Image}} {{.State.Status}}';
  const lines = ids.length > 0 ? (await runCommand("docker", ["inspect", "--format", format, ...ids])).stdout.split("\n").filter(Boolean) : [];
  return Object.fromEntries(lines.map((line) => line.split(" ")).map(([service = "", id = "", image = "", state = ""]) => [service, { id, image, state }]));
}

const states = async (release: string): Promise<Record<string, string>> => Object.fromEntries(Object.entries(await containers(release)).map(([s, c]) => [s, c.state]));

/** "frontend … ready in 0.4 s" of the verify step, in seconds. */
function readyIn(stderr: string): number {
  const match = /verify \| \S+frontend\S* ready in ([\d.]+) s/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return Number(match?.[1]);
}

beforeAll(async () => {
  repo = await helloRepo("keep-auto");
  const compose = readFileSync(join(repo.dir, "docker-compose.yml"), "utf8").replace("  # Accessory: stands in for Postgres", `${WORKER}  # Accessory: stands in for Postgres`);
  // No path: the route is judged by the frontend image's HEALTHCHECK (wget of /frontend-healthz).
  const yml = readFileSync(join(repo.dir, "slipway.yml"), "utf8").replace(/healthcheck: \{ path: \/frontend-healthz, /, "healthcheck: { ");
  expect(yml).toContain("healthcheck: { interval");
  await repo.commit({ "docker-compose.yml": compose, "slipway.yml": yml }, "a worker; the route probed by the image's HEALTHCHECK");
  const v1 = await repo.slipway(["deploy"]);
  expect(v1.exitCode, v1.stderr).toBe(0);
  firstDeploy = v1.stderr;
  await repo.commit({ "backend/static/app.css": `${readFileSync(join(repo.dir, "backend/static/app.css"), "utf8")}\n/* v2 */\n` }, "v2");
  const v2 = await repo.slipway(["deploy"]);
  expect(v2.exitCode, v2.stderr).toBe(0);
  expect(v2.stderr).toMatch(/retire \| kept v1 for rollback in \d+ ms: paused backend, frontend; stopped worker\n/);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("keep_previous: auto (the default)", () => {
  it("judges a new container by running its HEALTHCHECK itself, before Docker's first check", () => {
    // Docker would first run the check 5 s (its interval) after the start.
    expect(readyIn(firstDeploy)).toBeLessThan(4);
  });

  it("keeps the previous release's serving containers paused and its worker stopped", async () => {
    expect(await states("v1")).toEqual({ frontend: "paused", backend: "paused", worker: "exited" });
    expect(await states("v2")).toEqual({ frontend: "running", backend: "running", worker: "running" });
    const status = await repo.slipway(["status"]);
    expect(status.exitCode, status.stdout + status.stderr).toBe(0);
  });

  it("rolls back under load by thawing the same containers, and starts the worker after the switch, on the old image", async () => {
    const before = await containers("v1");
    const load = startLoad({ port: repo.port, connections: 20 });
    const result = await repo.slipway(["rollback"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic.requests).toBeGreaterThan(50);
    expect(traffic).toMatchObject({ failed: 0, errors: 0, non2xx: 0 });
    expect(result.stderr).toMatch(/start \| unpaused the kept containers of v1: [^;\n]+; to start after the switch: worker\n/);
    // Ready at once after the thaw: the check runs now, not at Docker's next interval.
    expect(readyIn(result.stderr)).toBeLessThan(2);
    const lines = result.stderr.split("\n");
    const switched = lines.findIndex((l) => / switch \| .* serving/.test(l));
    const workerStarted = lines.findIndex((l) => /retire \| started worker of v1 again, after the switch/.test(l));
    expect(switched, result.stderr).toBeGreaterThan(-1);
    expect(workerStarted, result.stderr).toBeGreaterThan(switched);
    const after = await containers("v1");
    for (const service of ["frontend", "backend", "worker"]) {
      expect(after[service], service).toEqual({ ...before[service], state: "running" });
    }
    expect(await states("v2")).toEqual({ frontend: "paused", backend: "paused", worker: "exited" });
  });
});
