/**
 * A build on its own, with the in-memory fakes: it runs the source and build steps only, records
 * a build that a later deploy of the commit reuses without building, and starts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeploymentEvent } from "../../src/core/events.js";
import { isSlipwayError } from "../../src/core/errors.js";
import { queueBuild, runBuild } from "../../src/pipeline/build-only.js";
import { deploy } from "../../src/pipeline/deploy.js";
import type { DeployDeps, DeployRequest } from "../../src/pipeline/deploy-run.js";
import { homePaths } from "../../src/pipeline/paths.js";
import type { ResolvedProject } from "../../src/project/resolve-project.js";
import { createSealer, generateKeyText, keyMaterial } from "../../src/secrets/cipher.js";
import { openStore, type Store } from "../../src/store/store.js";
import { fakeCompose, fakeEngine, fakeGit, fakeHost, fakeRouter, type FakeHost } from "../support/fake-host.js";
import { resolveFixture } from "../support/fixtures.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const TAG = COMMIT.slice(0, 12);
let resolved: ResolvedProject;
let host: FakeHost;
let store: Store;
let home: string;
let events: DeploymentEvent[];
/** What the deploy's verify step probes. */
let server: Server;
let port: number;

function deps(): DeployDeps {
  const sealer = createSealer(keyMaterial(generateKeyText(), "a test key"), "a test key");
  return {
    git: fakeGit(host, COMMIT),
    compose: fakeCompose(host, { port }),
    engine: fakeEngine(host),
    router: fakeRouter(host),
    store,
    events: (event) => events.push(event),
    clock: virtualClock(),
    paths: homePaths(home),
    redact: (text) => text,
    sealer: () => sealer,
    identity: { pid: process.pid, hostname: "this-host" },
  };
}

/** Time moves only when the pipeline sleeps: the deploy's readiness waits take no real time. */
function virtualClock(): DeployDeps["clock"] {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      offset += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function request(buildMode: DeployRequest["buildMode"] = "auto"): DeployRequest {
  return { resolved, ref: "main", commit: COMMIT, tag: TAG, cache: true, actor: "ci", buildMode };
}

async function build(): Promise<Awaited<ReturnType<typeof runBuild>>> {
  const d = deps();
  return runBuild(d, await queueBuild(d, request()), request(), {});
}

const steps = (): string[] => events.flatMap((e) => (e.type === "step-finished" ? [`${e.step}:${e.outcome}${e.detail ? ` (${e.detail})` : ""}`] : []));

beforeAll(async () => {
  resolved = await resolveFixture("web-and-release");
  server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "slipway-build-only-"));
  host = fakeHost();
  store = await openStore({ database: ":memory:", identity: { pid: process.pid, hostname: "this-host", now: () => new Date() } });
  events = [];
  return async () => {
    await store[Symbol.asyncDispose]();
    rmSync(home, { recursive: true, force: true });
  };
});

describe("a build on its own", () => {
  it("runs the source and build steps only, records the build, and starts nothing", async () => {
    const outcome = await build();
    const image = `${resolved.project.name}/web:${TAG}`;
    expect(outcome).toEqual({ deploymentId: 1, buildId: 1, built: true, commit: COMMIT, tag: TAG, images: [image] });
    expect(steps()).toEqual([`source:succeeded (${TAG})`, "build:succeeded (built)"]);
    expect(host.calls).toEqual([`build ${resolved.project.name}-build`]);
    expect(host.containers.size).toBe(0);
    expect(await store.deployment(1)).toMatchObject({ kind: "build", status: "succeeded", commit: COMMIT, actor: "ci" });
    expect((await store.steps(1)).map((s) => `${s.name}:${s.status}`)).toEqual(["source:succeeded", "build:succeeded"]);
    expect(await store.releases(1)).toEqual([]);
    expect(await store.lock(1)).toBeUndefined();
  });

  it("built again, finds its images and builds nothing", async () => {
    await build();
    events = [];
    expect(await build()).toMatchObject({ deploymentId: 2, buildId: 1, built: false });
    expect(steps()).toEqual([`source:succeeded (${TAG})`, "build:succeeded (image reused)"]);
    expect(host.calls).toEqual([`build ${resolved.project.name}-build`]);
  });

  it("is what a later deploy of the commit with --build-mode reuse runs, without building", async () => {
    await build();
    events = [];
    host.calls.length = 0;
    const outcome = await deploy(deps(), request("reuse"), { wait: true });
    expect(outcome).toMatchObject({ release: "v1", built: false });
    expect(steps().slice(0, 3)).toEqual(["preflight:succeeded", `source:succeeded (${TAG})`, "build:succeeded (image reused)"]);
    expect(host.calls.filter((call) => call.startsWith("build"))).toEqual([]);
    expect((await store.releases(1))[0]).toMatchObject({ buildId: 1, status: "live" });
  });

  it("failing, is recorded failed with its step, and leaves no build behind", async () => {
    host.fail.set("build", 1);
    const d = deps();
    const ticket = await queueBuild(d, request());
    const error = await runBuild(d, ticket, request(), {}).catch((caught: unknown) => caught);
    expect(isSlipwayError(error) && error.code).toBe("E_BUILD_FAILED");
    expect(await store.deployment(ticket.deploymentId)).toMatchObject({ kind: "build", status: "failed" });
    expect(steps()).toEqual([`source:succeeded (${TAG})`, expect.stringMatching(/^build:failed/)]);
    expect(await store.recentBuilds(ticket.projectId, 5)).toEqual([]);
  });

  it("cancelled, is recorded cancelled", async () => {
    const controller = new AbortController();
    host.onCompose = (verb) => {
      if (verb === "build") controller.abort(new Error("the user asked"));
    };
    const d = deps();
    const ticket = await queueBuild(d, request());
    const error = await runBuild(d, ticket, request(), { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(isSlipwayError(error) && error.code).toBe("E_CANCELLED");
    expect((await store.deployment(ticket.deploymentId))?.status).toBe("cancelled");
  });
});
