/**
 * Preview environments from pull-request webhooks, against the real engine: opened → `pr-7`
 * live at its port with accessories and volumes of its own and the template's variables;
 * updated → deployed again at the new head; closed → removed, volumes gone. Live serves the
 * same commit from the same containers throughout, under load with no failed request, and
 * keeps its volumes.
 */
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { githubPush, gitRemote, type GitRemote } from "../support/git-remote.js";
import { acceptsConnections, freePort } from "../support/hello-repo.js";
import { startLoad } from "../support/load.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "hello");
const project = `prev-${Math.random().toString(36).slice(2, 8)}`;
let remote: GitRemote;
let serve: ServeProcess;
let home: string;
let admin: string;
let secret: string;
let env: Record<string, string>;
let livePort: number;
let firstPreviewPort: number;
let delivery = 0;

function exampleFiles(dir = EXAMPLE): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, exampleFiles(path));
    else files[relative(EXAMPLE, path)] = readFileSync(path, "utf8");
  }
  return files;
}

const slipwayYml = (): string =>
  [
    `project: ${project}`,
    "routes:",
    "  - service: frontend",
    "    port: 80",
    `    listen: ${livePort}`,
    "    healthcheck: { path: /frontend-healthz, interval: 500ms, timeout: 2s, passes: 2, deadline: 60s }",
    "drain: 1s",
    "environments:",
    "  production: { default: true, branch: main }",
    `previews: { ports: "${firstPreviewPort}-${firstPreviewPort + 99}", template: production }`,
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

async function deliver(event: string, payload: Record<string, unknown>): Promise<{ status: number; verdict: string; deployments: number[] }> {
  const message = githubPush(secret, { ref: "", commit: "", delivery: `prev-${++delivery}`, event, payload });
  const response = await fetch(`${serve.url}/hooks/${project}`, { method: "POST", ...message });
  return { status: response.status, ...((await response.json()) as { verdict: string; deployments: number[] }) };
}

const pullRequest = (action: string, commit: string): Record<string, unknown> => ({ action, number: 7, pull_request: { number: 7, head: { sha: commit, ref: "feature" } }, sender: { login: "ann" } });

async function body(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}

const objects = async (kind: "ps" | "volume", environment: string): Promise<string[]> => {
  const args = kind === "ps" ? ["ps", "-aq"] : ["volume", "ls", "-q"];
  const listed = await runCommand("docker", [...args, "--filter", `label=slipway.project=${project}`, "--filter", `label=slipway.environment=${environment}`]);
  return listed.stdout.split("\n").filter(Boolean).sort();
};

beforeAll(async () => {
  livePort = await freePort();
  firstPreviewPort = 21000 + Math.floor(Math.random() * 400) * 100;
  remote = await gitRemote({ ...exampleFiles(), "slipway.yml": slipwayYml() });
  home = mkdtempSync(join(tmpdir(), "slipway-previews-"));
  env = { SLIPWAY_HOME: join(home, "home"), SLIPWAY_ROUTER_NAME: `slipway-router-${project}`, SLIPWAY_ROUTER_IMAGE: "haproxy:2.6", SLIPWAY_ACTOR: "tester" };
  const created = await slipway(["tokens", "create", "--role", "admin"], { cwd: home, env });
  admin = created.stdout.trim();
  serve = await startServe({ cwd: home, env });
  const registered = await api("POST", "/api/projects", { name: project, git: remote.url });
  expect(registered.status, JSON.stringify(registered.json)).toBe(201);
  secret = (registered.json as { webhook: { secret: string } }).webhook.secret;
  const variables = await api("PUT", `/api/projects/${project}/environments/production/variables/GREETING`, { value: "from the template" });
  expect(variables.status, JSON.stringify(variables.json)).toBeLessThan(300);
  const live = await api("POST", `/api/projects/${project}/environments/production/deployments`, {});
  expect(await finished((live.json as { id: number }).id)).toMatchObject({ status: "succeeded" });
});

afterAll(async () => {
  const path = serve ? ((await api("GET", `/api/projects/${project}`).catch(() => undefined))?.json as { path?: string } | undefined)?.path : undefined;
  if (serve && serve.child.exitCode === null) {
    serve.child.kill("SIGTERM");
    await serve.exited;
  }
  if (path) {
    const down = await slipway(["down", "--volumes"], { cwd: path, env });
    expect(down.exitCode, down.stderr).toBe(0);
  }
  // What a failed test may have left of the preview.
  for (const id of await objects("ps", "pr-7")) await runCommand("docker", ["rm", "-f", id]);
  for (const id of await objects("volume", "pr-7")) await runCommand("docker", ["volume", "rm", id]);
  await runCommand("docker", ["rm", "-f", `slipway-router-${project}`]);
  const images = await runCommand("docker", ["images", "-q", "--filter", `label=slipway.project=${project}`]);
  const ids = [...new Set(images.stdout.split("\n").filter(Boolean))];
  if (ids.length > 0) await runCommand("docker", ["rmi", "-f", ...ids]);
  await remote?.[Symbol.asyncDispose]();
  rmSync(home, { recursive: true, force: true });
});

describe("a pull request's preview", () => {
  it("is made when it opens, deployed again when it changes, and removed with its volumes when it closes; Live never moves", async () => {
    const previewPort = firstPreviewPort + 7;
    const liveBody = await body(livePort);
    const liveContainers = await objects("ps", "production");
    const liveVolumes = await objects("volume", "production");
    expect(liveVolumes.length).toBeGreaterThan(0);
    // Live under load for the preview's whole life: not one request may fail.
    const load = startLoad({ port: livePort, connections: 10 });

    const opened = await remote.commit({ "backend/static/app.css": "/* preview one */\n" }, { branch: "feature" });
    const first = await deliver("pull_request", pullRequest("opened", opened));
    expect(first.status, first.verdict).toBe(202);
    expect(first.verdict).toContain(`pr-7 made from production (1 variables copied)`);
    expect(await finished(first.deployments[0] as number)).toMatchObject({ status: "succeeded" });
    const previewBody = await body(previewPort);
    expect(previewBody).toContain(`hello from ${opened.slice(0, 12)}`);
    expect(previewBody).toContain("greeting: from the template");
    // Accessories and volumes of its own: none of them Live's.
    const previewContainers = await objects("ps", "pr-7");
    const previewVolumes = await objects("volume", "pr-7");
    expect(previewContainers.some((id) => liveContainers.includes(id))).toBe(false);
    expect(previewVolumes.length).toBe(liveVolumes.length);
    expect(previewVolumes.some((v) => liveVolumes.includes(v))).toBe(false);
    const accessory = await runCommand("docker", ["ps", "--format", "{{.Names}}", "--filter", `label=slipway.project=${project}`, "--filter", "label=slipway.environment=pr-7", "--filter", "label=slipway.service=db"]);
    expect(accessory.stdout.trim()).not.toBe("");

    const updated = await remote.commit({ "backend/static/app.css": "/* preview two */\n" }, { branch: "feature" });
    const second = await deliver("pull_request", pullRequest("synchronize", updated));
    expect(second.status, second.verdict).toBe(202);
    expect(second.verdict).toContain("pr-7 updated");
    expect(await finished(second.deployments[0] as number)).toMatchObject({ status: "succeeded" });
    expect(await body(previewPort)).toContain(`hello from ${updated.slice(0, 12)}`);

    const closed = await deliver("pull_request", pullRequest("closed", updated));
    expect(closed.status, closed.verdict).toBe(200);
    expect(closed.verdict).toBe("pull request 7 closed: pr-7 removed with its containers, route and volumes");
    expect(await objects("ps", "pr-7")).toEqual([]);
    expect(await objects("volume", "pr-7")).toEqual([]);
    const registered = (await api("GET", `/api/projects/${project}`)).json as { environments: string[]; path: string };
    expect(registered.environments).toEqual(["production"]);
    // The project is still read at its branch's commit, not at the pull request's.
    expect([opened, updated].some((commit) => registered.path.endsWith(commit))).toBe(false);
    expect(await acceptsConnections(previewPort)).toBe(false);

    const onLive = await load.stop();
    expect(onLive.requests).toBeGreaterThan(100);
    expect(onLive, JSON.stringify(onLive)).toMatchObject({ failed: 0 });
    expect(await body(livePort)).toBe(liveBody);
    expect(await objects("ps", "production")).toEqual(liveContainers);
    expect(await objects("volume", "production")).toEqual(liveVolumes);
  });
});
