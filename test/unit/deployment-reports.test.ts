/**
 * What a deployment reports outside, through the application layer against in-memory fakes of
 * the engine, compose, git and router (compose's own `config` reads the project) and real HTTP
 * servers on 127.0.0.1: a notification receiver gets a signed event when a deployment ends,
 * retried with backoff until it answers 2xx; a fake API of each git provider gets the pending
 * and the final status of the deployed commit; a deployment superseded in the queue ends its
 * commit's status too.
 */
import { createHmac } from "node:crypto";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createComposeCli } from "../../src/adapters/compose-cli.js";
import {
  addNotificationTarget,
  claimNext,
  createApp,
  deploy,
  enqueue,
  notificationAttempts,
  registerProject,
  runClaimed,
  setStatusTarget,
  settleDeliveries,
  showStatusTarget,
  type App,
  type Principal,
} from "../../src/app/index.js";
import type { Clock } from "../../src/core/clock.js";
import { runCommand } from "../../src/adapters/run-command.js";
import { fakeCompose, fakeEngine, fakeGit, fakeHost, fakeRouter, type FakeHost } from "../support/fake-host.js";
import { FIXTURES } from "../support/fixtures.js";
import { recordingServer, type RecordedRequest } from "../support/recording-server.js";

const COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
const PUBLIC_URL = "https://slipway.example.com/";
const admin: Principal = { actor: "test", role: "admin", kind: "api", tokenId: 1 };
let backend: Server;
let port: number;
let root: string;
let dir: string;
let host: FakeHost;
let app: App;
/** Every wait asked of the clock: they take no time here. */
let sleeps: number[];

const instantClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    sleeps.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
  },
};

beforeAll(async () => {
  backend = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((ok) => backend.listen(0, "127.0.0.1", ok));
  port = (backend.address() as { port: number }).port;
  root = mkdtempSync(join(tmpdir(), "slipway-reports-"));
  dir = join(root, "shop");
  cpSync(join(FIXTURES, "web-and-release"), dir, { recursive: true });
  writeFileSync(
    join(dir, "slipway.yml"),
    ["project: shop", "routes:", "  - service: web", "    port: 8000", "    healthcheck: { path: /, interval: 10ms, timeout: 1s, passes: 1, deadline: 5s }", "drain: 0s", "environments:", "  production: { default: true, listen: 18102 }", ""].join("\n"),
  );
  await runCommand("git", ["-C", dir, "init", "-q", "-b", "main"]);
});

afterAll(async () => {
  await new Promise<void>((ok) => backend.close(() => ok()));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(async () => {
  host = fakeHost();
  sleeps = [];
  const real = createComposeCli();
  const compose = { ...fakeCompose(host, { port }), config: real.config.bind(real) };
  const home = join(mkdtempSync(join(root, "home-")), "home");
  app = createApp({
    env: { ...process.env, SLIPWAY_HOME: home, SLIPWAY_MASTER_KEY: "a-test-master-key-of-32-characters-or-more", SLIPWAY_PUBLIC_URL: PUBLIC_URL },
    identity: { pid: process.pid, hostname: hostname() },
    clock: instantClock,
    adapters: { git: fakeGit(host, COMMIT), compose, engine: fakeEngine(host), router: fakeRouter(host) },
  });
  await registerProject(app, { name: "shop", path: dir, actor: "test" });
});

afterEach(async () => {
  await app[Symbol.asyncDispose]();
});

const deployShop = () => deploy(app, { dir, actor: "cli ann", cache: true, buildMode: "force" }, { events: () => undefined, wait: true });

describe("notifications", () => {
  it("deliver a signed event, retried with backoff until the receiver answers 2xx, every attempt recorded", async () => {
    await using receiver = await recordingServer((_request, i) => ({ status: i < 2 ? 503 : 204 }));
    const target = await addNotificationTarget(app, { project: "shop", url: `${receiver.url}/hooks/slipway`, actor: "test" });
    expect(target.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const outcome = await deployShop();
    expect(await settleDeliveries(app, 10_000)).toBe(true);

    expect(receiver.requests).toHaveLength(3);
    const [first] = receiver.requests as [RecordedRequest];
    for (const request of receiver.requests) {
      expect(request).toMatchObject({ method: "POST", path: "/hooks/slipway" });
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["x-slipway-event"]).toBe("deployment.live");
      expect(request.headers["x-slipway-delivery"]).toBe(first.headers["x-slipway-delivery"]);
      expect(request.headers["x-slipway-signature"]).toBe(`sha256=${createHmac("sha256", target.secret).update(request.body).digest("hex")}`);
      expect(request.body).toBe(first.body);
    }
    expect(JSON.parse(first.body)).toEqual({
      event: "deployment.live",
      delivery: first.headers["x-slipway-delivery"],
      project: "shop",
      environment: "production",
      deployment: {
        id: outcome.deploymentId,
        kind: "deploy",
        ref: "HEAD",
        commit: COMMIT,
        release: "v1",
        status: "succeeded",
        error: null,
        urls: ["http://127.0.0.1:18102/"],
        finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        link: `https://slipway.example.com/#/d/${outcome.deploymentId}`,
      },
    });
    // The backoff's first two waits (the pipeline's own are shorter).
    expect(sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);
    const attempts = await notificationAttempts(app, { project: "shop" });
    expect(attempts.map((a) => [a.attempt, a.httpStatus, a.error?.slice(0, 8)])).toEqual([
      [3, 204, undefined],
      [2, 503, "HTTP 503"],
      [1, 503, "HTTP 503"],
    ]);
    expect(attempts.every((a) => a.delivery === first.headers["x-slipway-delivery"] && a.deploymentId === outcome.deploymentId && a.url === `${receiver.url}/hooks/slipway`)).toBe(true);
    expect(JSON.stringify(attempts)).not.toContain(target.secret);
  });

  it("say how a deployment failed, and give up after five attempts on a receiver that never answers", async () => {
    await using receiver = await recordingServer(() => ({ status: 500 }));
    const closed = await recordingServer();
    const gone = closed.url;
    await closed[Symbol.asyncDispose]();
    await addNotificationTarget(app, { project: "shop", url: receiver.url, actor: "test" });
    await addNotificationTarget(app, { project: "shop", url: gone, actor: "test" });
    host.fail.set("build", 1);
    await expect(deployShop()).rejects.toThrow();
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    expect(receiver.requests).toHaveLength(5);
    const event = JSON.parse(receiver.requests[0]?.body ?? "{}") as { event: string; deployment: { status: string; error: string; release: null; urls: [] } };
    expect(event).toMatchObject({ event: "deployment.failed", deployment: { status: "failed", release: null, urls: [] } });
    expect(event.deployment.error).toMatch(/build/);
    const attempts = await notificationAttempts(app, { project: "shop" });
    expect(attempts).toHaveLength(10);
    expect(attempts.filter((a) => a.url.startsWith(gone)).every((a) => a.httpStatus === undefined && /fetch failed|ECONNREFUSED/.test(a.error ?? ""))).toBe(true);
    // Each target on its own backoff.
    expect(sleeps.filter((ms) => ms >= 1000).sort((a, b) => a - b)).toEqual([1000, 1000, 2000, 2000, 4000, 4000, 8000, 8000]);
  });

  it("never hold up a deployment: it returns while the receiver is still answering", async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await using receiver = await recordingServer();
    const slow = createServer((_req, res) => void held.then(() => res.end()));
    await new Promise<void>((ok) => slow.listen(0, "127.0.0.1", ok));
    await addNotificationTarget(app, { project: "shop", url: `http://127.0.0.1:${(slow.address() as { port: number }).port}/`, actor: "test" });
    await addNotificationTarget(app, { project: "shop", url: receiver.url, actor: "test" });
    await deployShop();
    release();
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    slow.closeAllConnections();
    await new Promise<void>((ok) => slow.close(() => ok()));
    expect(receiver.requests).toHaveLength(1);
  });
});

interface ProviderCase {
  readonly provider: "github" | "gitlab" | "gitea";
  readonly repository: string;
  /** Each call the fake API must get, in order: path, and what its body holds. */
  readonly calls: (deploymentId: number) => Array<[string, Record<string, unknown>]>;
  readonly auth: [string, string];
}

const link = (id: number): string => `https://slipway.example.com/#/d/${id}`;

const PROVIDER_CASES: ProviderCase[] = [
  {
    provider: "github",
    repository: "acme/shop",
    auth: ["authorization", "Bearer tok-github-1234567890"],
    calls: (id) => [
      ["/repos/acme/shop/deployments", { ref: COMMIT, environment: "production", auto_merge: false, required_contexts: [] }],
      ["/repos/acme/shop/deployments/77/statuses", { state: "in_progress", log_url: link(id) }],
      [`/repos/acme/shop/statuses/${COMMIT}`, { state: "pending", context: "slipway/production", target_url: link(id) }],
      ["/repos/acme/shop/deployments/77/statuses", { state: "success", log_url: link(id), environment_url: "http://127.0.0.1:18102/" }],
      [`/repos/acme/shop/statuses/${COMMIT}`, { state: "success", context: "slipway/production", target_url: link(id) }],
    ],
  },
  {
    provider: "gitlab",
    repository: "acme/tools/shop",
    auth: ["private-token", "tok-gitlab-1234567890"],
    calls: (id) => [
      [`/projects/acme%2Ftools%2Fshop/statuses/${COMMIT}`, { state: "pending", name: "slipway/production", target_url: link(id) }],
      [`/projects/acme%2Ftools%2Fshop/statuses/${COMMIT}`, { state: "success", name: "slipway/production", target_url: link(id) }],
    ],
  },
  {
    provider: "gitea",
    repository: "acme/shop",
    auth: ["authorization", "token tok-gitea-1234567890"],
    calls: (id) => [
      [`/repos/acme/shop/statuses/${COMMIT}`, { state: "pending", context: "slipway/production", target_url: link(id) }],
      [`/repos/acme/shop/statuses/${COMMIT}`, { state: "success", context: "slipway/production", target_url: link(id) }],
    ],
  },
];

describe("commit statuses", () => {
  it.each(PROVIDER_CASES)("$provider: the deployed commit gets a pending status when queued, then success", async ({ provider, repository, calls, auth }) => {
    await using api = await recordingServer((request) => ({ status: 201, body: request.path.endsWith("/deployments") ? { id: 77 } : {} }));
    const token = auth[1].split(" ").at(-1) ?? "";
    await setStatusTarget(app, { project: "shop", provider, repository, api: `${api.url}/api`, token, actor: "test" });
    const outcome = await deployShop();
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    const expected = calls(outcome.deploymentId);
    expect(api.requests.map((r) => r.path)).toEqual(expected.map(([path]) => `/api${path}`));
    api.requests.forEach((request, i) => {
      expect(request.method).toBe("POST");
      expect(request.headers[auth[0]]).toBe(auth[1]);
      expect(JSON.parse(request.body)).toMatchObject(expected[i]?.[1] ?? {});
    });
    const shown = await showStatusTarget(app, { project: "shop" });
    expect(shown.target).toMatchObject({ provider, repository, apiUrl: `${api.url}/api` });
    expect(shown.reports.map((r) => [r.state, r.httpStatus]).reverse()).toEqual(expected.map(([, body]) => [provider === "github" && body.ref ? "deployment" : `${provider === "github" && body.log_url ? "deployment " : ""}${String(body.state)}`, 201]));
    expect(JSON.stringify(shown)).not.toContain(token);
  });

  it("reports a failed deployment as failed, retrying a provider that errs (three attempts at most)", async () => {
    await using api = await recordingServer((_request, i) => ({ status: i === 0 ? 502 : 201 }));
    await setStatusTarget(app, { project: "shop", provider: "gitea", repository: "acme/shop", api: api.url, token: "tok", actor: "test" });
    host.fail.set("build", 1);
    await expect(deployShop()).rejects.toThrow();
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    expect(api.requests.map((r) => (JSON.parse(r.body) as { state: string }).state)).toEqual(["pending", "pending", "failure"]);
    expect((JSON.parse(api.requests[2]?.body ?? "{}") as { description: string }).description).toMatch(/^failed: /);
    expect((await showStatusTarget(app, { project: "shop" })).reports.map((r) => [r.state, r.attempt, r.httpStatus])).toEqual([
      ["failure", 1, 201],
      ["pending", 2, 201],
      ["pending", 1, 502],
    ]);
  });

  it("ends the status of a queued commit that a newer request superseded (GitLab: canceled)", async () => {
    await using api = await recordingServer(() => ({ status: 201 }));
    await setStatusTarget(app, { project: "shop", provider: "gitlab", repository: "42", api: api.url, token: "tok", actor: "test" });
    const older = COMMIT.replace(/^8/, "7");
    const first = await enqueue(app, admin, { project: "shop", request: { kind: "deploy", environment: "production", ref: older } });
    await enqueue(app, admin, { project: "shop", request: { kind: "deploy", environment: "production", ref: "main" } });
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    expect(api.requests.map((r) => [r.path, (JSON.parse(r.body) as { state: string }).state])).toEqual([
      [`/projects/42/statuses/${older}`, "pending"],
      [`/projects/42/statuses/${older}`, "canceled"],
    ]);
    expect((JSON.parse(api.requests[1]?.body ?? "{}") as { target_url: string }).target_url).toBe(link(first.id));
  });

  it("reports a deployment of the server's queue once: pending when queued by its commit, then its end", async () => {
    await using api = await recordingServer(() => ({ status: 201 }));
    await using receiver = await recordingServer();
    await setStatusTarget(app, { project: "shop", provider: "gitea", repository: "acme/shop", api: api.url, token: "tok", actor: "test" });
    await addNotificationTarget(app, { project: "shop", url: receiver.url, actor: "test" });
    const queued = await enqueue(app, admin, { project: "shop", request: { kind: "deploy", environment: "production", ref: COMMIT, buildMode: "force" } });
    const claimed = await claimNext(app);
    expect(claimed?.id).toBe(queued.id);
    if (!claimed) return;
    expect(await runClaimed(app, claimed, { signal: new AbortController().signal })).toBe("succeeded");
    expect(await settleDeliveries(app, 10_000)).toBe(true);
    expect(api.requests.map((r) => [r.path, (JSON.parse(r.body) as { state: string }).state])).toEqual([
      [`/repos/acme/shop/statuses/${COMMIT}`, "pending"],
      [`/repos/acme/shop/statuses/${COMMIT}`, "success"],
    ]);
    expect(receiver.requests.map((r) => r.headers["x-slipway-event"])).toEqual(["deployment.live"]);
  });
});
