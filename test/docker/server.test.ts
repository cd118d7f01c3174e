/**
 * `slipway serve` against the real engine, with the example app: a deploy asked through the API
 * goes live and its events stream over SSE; a deployment cancelled during its build leaves the
 * live release serving and nothing of its own; a newer request supersedes one still waiting;
 * one build at a time across two environments; kill -9 of the server during a build is put
 * right when it starts again, and what was queued before runs; SIGTERM lets a running
 * deployment finish, then exits 0.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { openStore } from "../../src/store/store.js";
import { freePort, helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";
import { readEvents, type SseEvent } from "../support/sse.js";

let repo: HelloRepo;
let serve: ServeProcess;
let admin: string;
let round = 0;

const DOCKERFILE = "backend/Dockerfile";
/** A build that takes a while (server builds have no layer cache): long enough to act during it. */
const BUILD_SECONDS = 12;

interface DeploymentJson {
  id: number;
  status: string;
  error?: string;
  steps: Array<{ name: string; status: string; startedAt: string; finishedAt?: string }>;
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${serve.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function ask(environment: string, body: object = {}): Promise<number> {
  const response = await api("POST", `/api/projects/${repo.project}/environments/${environment}/deployments`, body);
  expect(response.status, JSON.stringify(response.json)).toBe(202);
  expect(response.json).toMatchObject({ status: "queued" });
  return (response.json as { id: number }).id;
}

const deployment = async (id: number): Promise<DeploymentJson> => (await api("GET", `/api/deployments/${id}`)).json as DeploymentJson;

async function until(id: number, statuses: readonly string[], timeoutMs = 240_000): Promise<DeploymentJson> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const d = await deployment(id);
    if (statuses.includes(d.status)) return d;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`deployment ${id} never became ${statuses.join(" or ")}: ${JSON.stringify(await deployment(id))}`);
}

const stream = (id: number, until?: (e: SseEvent) => boolean): Promise<SseEvent[]> => readEvents(`${serve.url}/api/deployments/${id}/events`, { token: admin, ...(until ? { until } : {}) });
const buildStarted = (e: SseEvent): boolean => e.event === "step-started" && (e.data as { step: string }).step === "build";

/** Once its build has begun for real (compose prints its first lines). */
async function whenBuilding(id: number): Promise<void> {
  await stream(id, buildStarted);
  await new Promise((r) => setTimeout(r, 3000));
}

async function objectsOf(release: string): Promise<string[]> {
  const containers = await runCommand("docker", ["ps", "-aq", "--filter", `label=slipway.project=${repo.project}`, "--filter", `label=slipway.release=${release}`]);
  const networks = await runCommand("docker", ["network", "ls", "-q", "--filter", `label=com.docker.compose.project=${repo.project}-production-${release}`]);
  return `${containers.stdout}\n${networks.stdout}`.split("\n").filter(Boolean);
}

/** A new commit whose build sleeps: every build of it takes BUILD_SECONDS. */
async function slowCommit(): Promise<string> {
  round++;
  const dockerfile = readFileSync(join(repo.dir, DOCKERFILE), "utf8").replace(/\nRUN sleep .*\n?$/, "\n");
  return repo.commit({ [DOCKERFILE]: `${dockerfile.trimEnd()}\nRUN sleep ${BUILD_SECONDS} # round ${round}\n` }, `slow build ${round}`);
}

beforeAll(async () => {
  repo = await helloRepo("serve");
  const staging = await freePort();
  await repo.commit({ "slipway.yml": slipwayYml(repo.project, repo.port, `environments:\n  production: { default: true }\n  staging: { listen: ${staging} }\n`) }, "two environments");
  const created = await repo.slipway(["tokens", "create", "--role", "admin", "--description", "e2e"]);
  expect(created.exitCode, created.stderr).toBe(0);
  admin = created.stdout.trim();
  serve = await startServe({ cwd: repo.dir, env: repo.env, args: ["--build-limit", "1"] });
  const registered = await api("POST", "/api/projects", { name: repo.project, path: repo.dir });
  expect(registered.status, JSON.stringify(registered.json)).toBe(201);
  expect(registered.json).toMatchObject({ environments: ["production", "staging"] });
});

afterAll(async () => {
  if (serve && serve.child.exitCode === null) {
    serve.child.kill("SIGTERM");
    await serve.exited;
  }
  await repo?.slipway(["down", "--volumes", "--env", "staging"]);
  await repo?.[Symbol.asyncDispose]();
});

describe("slipway serve", () => {
  it("deploys through the API: 202 queued, every step over SSE, the final live event, the app answering", async () => {
    const id = await ask("production");
    const events = await stream(id);
    expect(events[0]).toMatchObject({ event: "queued" });
    expect(events.filter((e) => e.event === "step-finished").map((e) => (e.data as { step: string }).step)).toEqual(["preflight", "source", "build", "release", "start", "verify", "switch", "retire"]);
    expect(events.at(-1)).toMatchObject({ event: "live", data: { deploymentId: id, release: "v1" } });
    expect(await deployment(id)).toMatchObject({ status: "succeeded" });
    expect((await repo.get("/")).status).toBe(200);
    expect((await api("GET", `/api/projects/${repo.project}/environments/production`)).json).toMatchObject({ live: { release: "v1" }, drift: [] });
  });

  it("cancels a deployment during its build: v1 serves on, nothing of the new release is left; a newer request supersedes one waiting", async () => {
    await slowCommit();
    const building = await ask("production");
    await whenBuilding(building);
    const waiting = await ask("production");
    const newest = await ask("production");
    expect(await deployment(waiting)).toMatchObject({ status: "superseded", error: `superseded by deployment ${newest}` });
    expect((await api("POST", `/api/deployments/${building}/cancel`)).json).toMatchObject({ outcome: "requested" });
    expect(await until(building, ["cancelled", "failed"])).toMatchObject({ status: "cancelled" });
    expect((await stream(building)).at(-1)).toMatchObject({ event: "cancelled" });
    expect((await repo.get("/")).status).toBe(200);
    expect(await objectsOf("v2")).toEqual([]);
    // The newest request runs next; cancelled in its build too, it leaves nothing either.
    await whenBuilding(newest);
    await api("POST", `/api/deployments/${newest}/cancel`);
    expect(await until(newest, ["cancelled", "failed"])).toMatchObject({ status: "cancelled" });
    expect(await objectsOf("v2")).toEqual([]);
  });

  it("builds one at a time across two environments (--build-limit 1)", async () => {
    const [production, staging] = [await ask("production"), await ask("staging")];
    const done = await Promise.all([until(production, ["succeeded", "failed", "cancelled"]), until(staging, ["succeeded", "failed", "cancelled"])]);
    for (const d of done) expect(d.status, d.error).toBe("succeeded");
    const builds = done.map((d) => d.steps.find((s) => s.name === "build"));
    const span = Math.max(...builds.map((b) => Date.parse(b?.finishedAt ?? ""))) - Math.min(...builds.map((b) => Date.parse(b?.startedAt ?? "")));
    expect(span).toBeGreaterThanOrEqual(2 * BUILD_SECONDS * 1000);
    const logs = await Promise.all([production, staging].map(async (id) => (await fetch(`${serve.url}/api/deployments/${id}/log`, { headers: { authorization: `Bearer ${admin}` } })).text()));
    expect(logs.filter((log) => log.includes("waiting for a build slot"))).toHaveLength(1);
  });

  it("after kill -9 during a build and a restart: the deployment is interrupted, the lock free, the queued one runs, a new one succeeds", async () => {
    await slowCommit();
    const killed = await ask("production");
    await whenBuilding(killed);
    const queued = await ask("production");
    serve.child.kill("SIGKILL");
    expect(await serve.exited).toBe(137);
    serve = await startServe({ cwd: repo.dir, env: repo.env, args: ["--build-limit", "1"] });
    expect(await until(killed, ["interrupted", "cancelled", "failed", "succeeded"])).toMatchObject({ error: "its process stopped during build" });
    expect((await stream(killed)).at(-1)).toMatchObject({ event: "failed", data: { code: "E_INTERRUPTED" } });
    expect(await until(queued, ["succeeded", "failed", "cancelled"])).toMatchObject({ status: "succeeded" });
    {
      await using store = await openStore({ home: repo.env.SLIPWAY_HOME ?? "" });
      const environmentId = (await store.deployment(killed))?.environmentId ?? 0;
      expect(await store.lock(environmentId)).toBeUndefined();
    }
    const again = await ask("production");
    expect(await until(again, ["succeeded", "failed", "cancelled"])).toMatchObject({ status: "succeeded" });
    expect((await repo.get("/")).status).toBe(200);
  });

  it("on SIGTERM, lets the running deployment reach its end, then exits 0", async () => {
    await slowCommit();
    const running = await ask("production");
    await whenBuilding(running);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    {
      await using store = await openStore({ home: repo.env.SLIPWAY_HOME ?? "" });
      expect((await store.deployment(running))?.status).toBe("succeeded");
    }
    expect(serve.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });
});
