/**
 * Push to deploy against the real engine: a project registered by git URL (a local bare
 * repository), a signed GitHub push delivered to a real `slipway serve`, and the deployment it
 * queues going live with exactly the pushed commit — its slipway.yml and compose file too,
 * changed in that commit only (the server never had them before the push).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { githubPush, gitRemote, type GitRemote } from "../support/git-remote.js";
import { freePort } from "../support/hello-repo.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const project = `push-${Math.random().toString(36).slice(2, 8)}`;
let remote: GitRemote;
let serve: ServeProcess;
let home: string;
let admin: string;
let secret: string;
let env: Record<string, string>;

const DOCKERFILE = [
  "FROM busybox",
  "ARG APP_VERSION=dev",
  "RUN mkdir -p /www && echo \"build $APP_VERSION\" > /www/version",
  'CMD ["sh", "-c", "echo \\"$GREETING\\" > /www/index.html; cat /www/version >> /www/index.html; trap \'exit 0\' TERM; httpd -f -p 80 -h /www & wait"]',
  "",
].join("\n");

const compose = (greeting: string): string =>
  ["services:", "  web:", "    build:", "      context: .", "      args:", "        APP_VERSION: ${TAG:-dev}", "    environment:", `      GREETING: ${greeting}`, '    ports: ["8080:80"]', ""].join("\n");

const slipwayYml = (port: number): string =>
  [
    `project: ${project}`,
    "routes:",
    "  - service: web",
    "    port: 80",
    `    listen: ${port}`,
    "    healthcheck: { path: /, interval: 300ms, timeout: 2s, passes: 1, deadline: 30s }",
    "drain: 1s",
    "environments:",
    "  production: { default: true, branch: main }",
    "",
  ].join("\n");

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${serve.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function finished(id: number): Promise<{ status: string; error?: string }> {
  const end = Date.now() + 240_000;
  for (;;) {
    const d = (await api("GET", `/api/deployments/${id}`)).json as { status: string; error?: string };
    if (!["queued", "running"].includes(d.status) || Date.now() > end) return d;
    await new Promise((r) => setTimeout(r, 300));
  }
}

const answer = async (port: number): Promise<string> => (await fetch(`http://127.0.0.1:${port}/`)).text();

beforeAll(async () => {
  const first = await freePort();
  remote = await gitRemote({ Dockerfile: DOCKERFILE, "docker-compose.yml": compose("hello one"), "slipway.yml": slipwayYml(first) });
  home = mkdtempSync(join(tmpdir(), "slipway-push-"));
  env = { SLIPWAY_HOME: join(home, "home"), SLIPWAY_ROUTER_NAME: `slipway-router-${project}`, SLIPWAY_ROUTER_IMAGE: "haproxy:2.6", SLIPWAY_ACTOR: "tester" };
  const created = await slipway(["tokens", "create", "--role", "admin"], { cwd: home, env });
  expect(created.exitCode, created.stderr).toBe(0);
  admin = created.stdout.trim();
  serve = await startServe({ cwd: home, env });
  const registered = await api("POST", "/api/projects", { name: project, git: remote.url });
  expect(registered.status, JSON.stringify(registered.json)).toBe(201);
  secret = (registered.json as { webhook: { secret: string } }).webhook.secret;
});

afterAll(async () => {
  // The project's newest checkout, where `slipway down` reads it from.
  const path = serve ? ((await api("GET", `/api/projects/${project}`).catch(() => undefined))?.json as { path?: string } | undefined)?.path : undefined;
  if (serve && serve.child.exitCode === null) {
    serve.child.kill("SIGTERM");
    await serve.exited;
  }
  if (path) {
    const down = await slipway(["down", "--volumes"], { cwd: path, env });
    expect(down.exitCode, down.stderr).toBe(0);
  }
  await runCommand("docker", ["rm", "-f", `slipway-router-${project}`]);
  const images = await runCommand("docker", ["images", "-q", "--filter", `label=slipway.project=${project}`]);
  const ids = [...new Set(images.stdout.split("\n").filter(Boolean))];
  if (ids.length > 0) await runCommand("docker", ["rmi", "-f", ...ids]);
  await remote?.[Symbol.asyncDispose]();
  rmSync(home, { recursive: true, force: true });
});

describe("a push delivered by webhook", () => {
  it("deploys exactly the pushed commit, with that commit's slipway.yml and compose file", async () => {
    const port = await freePort();
    const commit = await remote.commit({ "docker-compose.yml": compose("hello two"), "slipway.yml": slipwayYml(port) }, { message: "a new greeting on a new port" });
    const delivered = await fetch(`${serve.url}/hooks/${project}`, { method: "POST", ...githubPush(secret, { ref: "refs/heads/main", commit, delivery: "e2e-1" }) });
    const receipt = (await delivered.json()) as { verdict: string; deployments: number[] };
    expect(delivered.status, receipt.verdict).toBe(202);
    const [id] = receipt.deployments;
    const outcome = await finished(id as number);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "succeeded" });
    expect(await answer(port)).toBe(`hello two\nbuild ${commit.slice(0, 12)}\n`);
    const detail = (await api("GET", `/api/deployments/${id}`)).json as { ref: string; commit: string; actor: string };
    expect(detail).toMatchObject({ commit, actor: "webhook github by ann" });
    const deliveries = (await api("GET", `/api/projects/${project}/webhook-deliveries`)).json as Array<{ delivery: string; deployments: number[] }>;
    expect(deliveries[0]).toMatchObject({ delivery: "e2e-1", deployments: [id] });
  });
});
