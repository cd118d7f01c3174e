/**
 * What the server keeps secret and whom it believes: tokens stored as digests only, revoked and
 * expired ones refused, sessions with their cookie and CSRF header, variables masked unless an
 * admin reveals them, every change audited by name, and no secret in a response, an event or
 * the request log; bodies validated and size-limited.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, createToken } from "../app/index.js";
import { apiHarness, checkout, type ApiHarness } from "../../test/support/api.js";

let api: ApiHarness;
let root: string;
let admin: string;

/** Every byte of the SQLite store (its WAL too), as text. */
function storeBytes(): string {
  return readdirSync(api.home)
    .filter((f) => f.startsWith("slipway.db"))
    .map((f) => readFileSync(join(api.home, f)).toString("latin1"))
    .join("");
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "slipway-security-"));
  api = await apiHarness();
  admin = await api.token("admin");
  const created = await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", path: await checkout("shop", root) } });
  expect(created.status, created.text).toBe(201);
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  rmSync(root, { recursive: true, force: true });
});

describe("tokens", () => {
  it("are stored as digests only: the text is nowhere in the database", async () => {
    const made = await api.request("POST", "/api/tokens", { token: admin, body: { role: "deployer", project: "shop", expires: "30d", description: "ci" } });
    expect(made.status, made.text).toBe(201);
    const { token, id } = made.json as { token: string; id: number };
    expect(token).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect((await api.request("GET", "/api/projects", { token })).status).toBe(200);
    expect(storeBytes()).not.toContain(token);
    expect(storeBytes()).not.toContain(admin);
    const listed = (await api.request("GET", "/api/tokens", { token: admin })).json as Array<Record<string, unknown>>;
    expect(listed.find((t) => t.id === id)).toMatchObject({ role: "deployer", project: "shop", description: "ci" });
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("once revoked, or expired, are refused with 401", async () => {
    const made = (await api.request("POST", "/api/tokens", { token: admin, body: { role: "viewer" } })).json as { token: string; id: number };
    expect((await api.request("GET", "/api/projects", { token: made.token })).status).toBe(200);
    expect((await api.request("DELETE", `/api/tokens/${made.id}`, { token: admin })).status).toBe(204);
    expect((await api.request("GET", "/api/projects", { token: made.token })).status).toBe(401);
    expect((await api.request("DELETE", `/api/tokens/${made.id}`, { token: admin })).json).toMatchObject({ status: 404, code: "E_NOT_FOUND" });

    const short = await createToken(api.app, { role: "admin", expiresInMs: 50, actor: "test" });
    expect((await api.request("GET", "/api/projects", { token: short.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 80));
    expect((await api.request("GET", "/api/projects", { token: short.token })).status).toBe(401);
    expect((await api.request("GET", "/api/projects", { token: `${admin}x` })).status).toBe(401);
  });
});

describe("sessions", () => {
  it("sign in with a password, act with the cookie (changes need the CSRF header), and sign out", async () => {
    const password = "correct horse battery staple";
    await addUser(api.app, { name: "ann", role: "admin", password, actor: "test" });
    expect((await api.request("POST", "/api/session", { body: { name: "ann", password: "wrong password!" } })).json).toMatchObject({ status: 401, code: "E_UNAUTHENTICATED" });
    expect((await api.request("POST", "/api/session", { body: { name: "nobody", password } })).status).toBe(401);
    const signedIn = await api.request("POST", "/api/session", { body: { name: "ann", password } });
    expect(signedIn.status).toBe(201);
    const setCookie = signedIn.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^slipway_session=sls_[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    // Behind a TLS proxy on this host, the browser came over HTTPS: the cookie is then Secure.
    const overTls = await api.request("POST", "/api/session", { body: { name: "ann", password }, headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers.get("set-cookie")).toMatch(/; Secure$/);
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await api.request("GET", "/api/session", { headers: { cookie } })).json).toMatchObject({ actor: "user ann", role: "admin" });
    const csrf = (signedIn.json as { csrf: string }).csrf;
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A page opened later learns the same token from the session itself.
    expect(((await api.request("GET", "/api/session", { headers: { cookie } })).json as { csrf: string }).csrf).toBe(csrf);
    expect((await api.request("GET", "/api/session", { token: admin })).json).not.toHaveProperty("csrf");
    const body = { role: "viewer" };
    expect((await api.request("POST", "/api/tokens", { headers: { cookie }, body })).json).toMatchObject({ status: 403, code: "E_FORBIDDEN" });
    // Any other value is no token: a header alone proves nothing.
    expect((await api.request("POST", "/api/tokens", { headers: { cookie, "x-slipway-csrf": "1" }, body })).status).toBe(403);
    expect((await api.request("POST", "/api/tokens", { headers: { cookie, "x-slipway-csrf": `${csrf.slice(1)}A` }, body })).status).toBe(403);
    expect((await api.request("POST", "/api/tokens", { headers: { cookie, "x-slipway-csrf": csrf }, body })).status).toBe(201);
    // A token-authenticated call needs none.
    expect((await api.request("POST", "/api/tokens", { token: admin, body })).status).toBe(201);
    expect(storeBytes()).not.toContain(password);
    expect(storeBytes()).not.toContain(cookie.slice("slipway_session=".length));
    expect((await api.request("DELETE", "/api/session", { headers: { cookie } })).status).toBe(403);
    expect((await api.request("DELETE", "/api/session", { headers: { cookie, "x-slipway-csrf": csrf } })).status).toBe(204);
    expect((await api.request("GET", "/api/session", { headers: { cookie } })).status).toBe(401);
  });
});

describe("sign-in attempts", () => {
  it("are limited per address: after 10 in a minute, even the right password waits (429)", async () => {
    await using limited = await apiHarness();
    const password = "another long enough password";
    await addUser(limited.app, { name: "bob", role: "viewer", password, actor: "test" });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await limited.request("POST", "/api/session", { body: { name: "bob", password: `wrong ${i}` } })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refused = await limited.request("POST", "/api/session", { body: { name: "bob", password } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("set-cookie")).toBeNull();
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("variables", () => {
  it("are masked, revealed to admins only, and every change is audited by name", async () => {
    const path = "/api/projects/shop/environments/production/variables";
    const secret = "s3cret-value-that-must-not-leak";
    expect((await api.request("PUT", `${path}/SECRET_KEY`, { token: admin, body: { value: secret } })).json).toMatchObject({ set: ["SECRET_KEY"], version: 1 });
    const viewer = await api.request("POST", "/api/tokens", { token: admin, body: { role: "viewer" } });
    const viewerToken = (viewer.json as { token: string }).token;
    expect((await api.request("GET", path, { token: viewerToken })).json).toEqual({ environment: "production", version: 1, variables: { SECRET_KEY: null } });
    expect((await api.request("GET", `${path}?reveal=true`, { token: viewerToken })).status).toBe(403);
    expect((await api.request("GET", `${path}?reveal=true`, { token: admin })).json).toMatchObject({ variables: { SECRET_KEY: secret } });
    expect((await api.request("DELETE", `${path}/SECRET_KEY`, { token: admin })).json).toMatchObject({ unset: ["SECRET_KEY"], version: 2 });
    const audit = (await api.request("GET", "/api/audit", { token: admin })).json as Array<{ action: string; detail: unknown }>;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["variables.change", "variables.reveal", "project.register", "token.create"]));
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(storeBytes()).not.toContain(secret);
    expect(api.logs.join("")).not.toContain(secret);
  });
});

describe("requests", () => {
  it("are logged one JSON line each, without a token, a cookie or a body", async () => {
    await api.request("GET", "/api/projects?limit=5", { token: admin });
    const lines = api.logs.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l.msg === "request" && l.path === "/api/projects" && l.method === "GET");
    expect(mine.at(-1)).toMatchObject({ status: 200, actor: expect.stringMatching(/^token \d+/) as unknown, ms: expect.any(Number) as unknown });
    expect(api.logs.join("")).not.toContain(admin);
    expect(api.logs.join("")).not.toMatch(/sls_|slw_|password/);
  });

  it("are validated: unknown fields, bad JSON, other media types and large bodies are refused", async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) => api.request("POST", "/api/projects", { token: admin, body, headers });
    expect((await post({ name: "x", path: "/srv/x", color: "red" })).json).toMatchObject({ status: 400, code: "E_USAGE", details: [expect.stringContaining("color") as unknown] });
    expect((await post("{not json")).status).toBe(400);
    expect((await post("name=x", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await post({ name: "x", path: "x".repeat(70 * 1024) })).status).toBe(413);
    expect((await api.request("GET", "/api/nothing-here", { token: admin })).json).toMatchObject({ status: 404, code: "E_NOT_FOUND" });
    expect((await post({ name: "shop", path: "/does/not/exist" })).json).toMatchObject({ status: 422, code: "E_FILE_MISSING" });
  });
});
