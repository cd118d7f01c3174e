/**
 * Every operation the OpenAPI document lists, walked three times: without credentials (401,
 * but for the public ones), with a viewer token (403 for every change), and with a token of
 * project A asking about project B (404, as if B did not exist).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiHarness, checkout, type ApiHarness } from "../../test/support/api.js";

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly id: string;
  readonly role: string;
  readonly unscoped: boolean;
}

let api: ApiHarness;
let root: string;
let operations: Operation[];
let admin: string;
let deploymentOfB: number;

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Signing in and out is what a session does for itself, whatever its role. */
const SESSION_OPERATIONS = new Set(["login", "logout"]);

function concrete(op: Operation): string {
  return op.path.replace("{project}", "b").replace("{environment}", "production").replace("{id}", String(deploymentOfB)).replace("{variable}", "GREETING");
}

/** A body each operation accepts, so that a 404 is about B and not about the body. */
function bodyFor(op: Operation): unknown {
  if (op.id === "createPromotion") return { project: "b", from: "test", to: "production" };
  if (op.id === "setVariable") return { value: "x" };
  return MUTATING.has(op.method) ? {} : undefined;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "slipway-walk-"));
  api = await apiHarness();
  admin = await api.token("admin");
  for (const name of ["a", "b"]) {
    const created = await api.request("POST", "/api/projects", { token: admin, body: { name, path: await checkout(name, root) } });
    expect(created.status, created.text).toBe(201);
  }
  const queued = await api.request("POST", "/api/projects/b/environments/production/deployments", { token: admin, body: {} });
  expect(queued.status, queued.text).toBe(202);
  deploymentOfB = (queued.json as { id: number }).id;
  const doc = (await api.request("GET", "/api/openapi.json", { token: admin })).json as { openapi: string; paths: Record<string, Record<string, { operationId: string; "x-slipway-role": string; "x-slipway-unscoped"?: boolean }>> };
  expect(doc.openapi).toBe("3.1.0");
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, id: op.operationId, role: op["x-slipway-role"], unscoped: op["x-slipway-unscoped"] === true })),
  );
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  rmSync(root, { recursive: true, force: true });
});

describe("every operation of the OpenAPI document", () => {
  it("is documented with the role it needs", () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    for (const op of operations) expect(["public", "viewer", "deployer", "admin"], `${op.method} ${op.path}`).toContain(op.role);
    // Webhooks carry no token: each delivery is verified by its signature (webhooks.test.ts).
    expect(operations.filter((op) => op.role === "public").map((op) => op.id).sort()).toEqual(["health", "login", "receiveWebhook"]);
  });

  it("without credentials, answers 401 (problem+json, E_UNAUTHENTICATED), but for health and login", async () => {
    for (const op of operations.filter((o) => o.role !== "public")) {
      const response = await api.request(op.method, concrete(op), { body: bodyFor(op) });
      expect(response.status, `${op.method} ${op.path}`).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.json).toMatchObject({ status: 401, code: "E_UNAUTHENTICATED" });
    }
  });

  it("with a viewer token, refuses every change with 403", async () => {
    const viewer = await api.token("viewer");
    const changes = operations.filter((op) => MUTATING.has(op.method) && !SESSION_OPERATIONS.has(op.id) && op.role !== "public");
    expect(changes.length).toBeGreaterThanOrEqual(10);
    for (const op of changes) {
      const response = await api.request(op.method, concrete(op), { token: viewer, body: bodyFor(op) });
      expect(response.status, `${op.method} ${op.path}: ${response.text}`).toBe(403);
      expect(response.json).toMatchObject({ code: "E_FORBIDDEN" });
    }
  });

  it("with a viewer token, lets every read through (its answer is the operation's own)", async () => {
    const viewer = await api.token("viewer");
    const reads = operations.filter((op) => op.method === "GET" && op.role === "viewer" && !op.unscoped);
    expect(reads.length).toBeGreaterThanOrEqual(12);
    for (const op of reads.filter((o) => o.id !== "followDeployment")) {
      const response = await api.request(op.method, concrete(op), { token: viewer });
      expect([401, 403], `${op.method} ${op.path}: ${response.text.slice(0, 200)}`).not.toContain(response.status);
    }
  });

  it("with a token of project A, answers 404 for everything of project B", async () => {
    const ofA = await api.token("admin", "a");
    const aboutB = operations.filter((op) => op.role !== "public" && (op.path.includes("{project}") || op.path.startsWith("/api/deployments/") || op.id === "createPromotion"));
    expect(aboutB.length).toBeGreaterThanOrEqual(14);
    for (const op of aboutB) {
      const response = await api.request(op.method, concrete(op), { token: ofA, body: bodyFor(op) });
      expect(response.status, `${op.method} ${op.path}: ${response.text}`).toBe(404);
      expect(response.json).toMatchObject({ code: "E_NOT_FOUND" });
    }
    const listed = (await api.request("GET", "/api/projects", { token: ofA })).json as Array<{ name: string }>;
    expect(listed.map((p) => p.name)).toEqual(["a"]);
    const overview = (await api.request("GET", "/api/overview", { token: ofA })).json as Array<{ project: string }>;
    expect(new Set(overview.map((e) => e.project))).toEqual(new Set(["a"]));
    const ofB = ((await api.request("GET", "/api/overview", { token: admin })).json as Array<{ project: string; environment: string; latest: { status: string } | null }>).filter((e) => e.project === "b");
    expect(ofB.map((e) => [e.environment, e.latest?.status ?? null])).toEqual([
      ["production", "queued"],
      ["test", null],
    ]);
    // Nor does it see B's queued deployment under A's name, or act on the whole server.
    for (const op of operations.filter((o) => o.unscoped)) {
      const response = await api.request(op.method, concrete(op), { token: ofA, body: bodyFor(op) });
      expect(response.status, `${op.method} ${op.path}`).toBe(403);
    }
  });
});

describe("the web UI's files", () => {
  it("are served to anyone, hold no data, and are the only routes outside the document", async () => {
    const web = join(root, "web");
    mkdirSync(join(web, "assets"), { recursive: true });
    writeFileSync(join(web, "index.html"), '<!doctype html><script type="module" src="assets/app-1.js"></script>');
    writeFileSync(join(web, "assets", "app-1.js"), "export {};");
    await using withUi = await apiHarness({ webRoot: web });
    const page = await withUi.request("GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.text).toBe('<!doctype html><script type="module" src="assets/app-1.js"></script>');
    const script = await withUi.request("GET", "/assets/app-1.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toContain("immutable");
    for (const path of ["/assets/missing.js", "/index.htm", "/app-1.js", "/assets/../../etc/passwd"]) expect((await withUi.request("GET", path)).status, path).toBe(404);
    // The document lists the API only; each of its operations still needs its credentials.
    const doc = (await withUi.request("GET", "/api/openapi.json", { token: await withUi.token("viewer") })).json as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith("/api/"))).toEqual(["/healthz", "/metrics", "/hooks/{project}"]);
    expect((await withUi.request("GET", "/api/projects")).status).toBe(401);
    expect((await withUi.request("POST", "/")).status).toBe(404);
  });
});
