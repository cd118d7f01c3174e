/**
 * Notification targets and commit-status targets through the API: the secret is in the answer
 * that adds a target and nowhere else (no listing, the store, the log); the token likewise is
 * never answered, stored in clear or logged; a deployment cancelled in the queue notifies.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleDeliveries } from "../app/index.js";
import { apiHarness, checkout, type ApiHarness } from "../../test/support/api.js";
import { recordingServer } from "../../test/support/recording-server.js";

let api: ApiHarness;
let root: string;
let admin: string;

function storeBytes(): string {
  return readdirSync(api.home)
    .filter((f) => f.startsWith("slipway.db"))
    .map((f) => readFileSync(join(api.home, f)).toString("latin1"))
    .join("");
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "slipway-reports-api-"));
  api = await apiHarness({ env: { SLIPWAY_PUBLIC_URL: "https://panel.example.com" } });
  admin = await api.token("admin");
  expect((await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", path: await checkout("shop", root) } })).status).toBe(201);
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  rmSync(root, { recursive: true, force: true });
});

describe("notification targets", () => {
  it("show their secret once, list without it, notify a cancelled deployment, and are removed", async () => {
    await using receiver = await recordingServer();
    const added = await api.request("POST", "/api/projects/shop/notifications", { token: admin, body: { url: `${receiver.url}/in` } });
    expect(added.status, added.text).toBe(201);
    const { id, secret } = added.json as { id: number; secret: string };
    expect(added.json).toMatchObject({ url: `${receiver.url}/in`, actor: expect.stringMatching(/^token /) as unknown });
    const listed = await api.request("GET", "/api/projects/shop/notifications", { token: await api.token("viewer") });
    expect(listed.json).toEqual([{ id, url: `${receiver.url}/in`, actor: expect.any(String) as unknown, createdAt: expect.any(String) as unknown }]);

    const queued = (await api.request("POST", "/api/projects/shop/environments/production/deployments", { token: admin, body: {} })).json as { id: number };
    expect((await api.request("POST", `/api/deployments/${queued.id}/cancel`, { token: admin })).json).toMatchObject({ outcome: "cancelled" });
    expect(await settleDeliveries(api.app, 10_000)).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    const [delivery] = receiver.requests;
    expect(delivery?.headers["x-slipway-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(delivery?.body ?? "").digest("hex")}`);
    expect(JSON.parse(delivery?.body ?? "{}")).toMatchObject({ event: "deployment.cancelled", deployment: { id: queued.id, status: "cancelled", commit: null, link: `https://panel.example.com/#/d/${queued.id}` } });
    const attempts = await api.request("GET", "/api/projects/shop/notification-attempts", { token: admin });
    expect(attempts.json).toEqual([expect.objectContaining({ targetId: id, deploymentId: queued.id, attempt: 1, httpStatus: 200, event: "deployment.cancelled" })]);

    for (const text of [listed.text, attempts.text, storeBytes(), api.logs.join(""), JSON.stringify((await api.request("GET", "/api/audit", { token: admin })).json)]) expect(text).not.toContain(secret);
    expect((await api.request("DELETE", `/api/projects/shop/notifications/${id}`, { token: admin })).status).toBe(204);
    expect((await api.request("DELETE", `/api/projects/shop/notifications/${id}`, { token: admin })).json).toMatchObject({ status: 404, code: "E_NOT_FOUND" });
    expect((await api.request("GET", "/api/projects/shop/notifications", { token: admin })).json).toEqual([]);
  });

  it.each([
    { name: "a URL that is not http", url: "ftp://example.com/x" },
    { name: "credentials in the URL", url: "https://user:pass@example.com/x" },
    { name: "no URL at all", url: "not a url" },
  ])("refuses $name (400)", async ({ url }) => {
    expect((await api.request("POST", "/api/projects/shop/notifications", { token: admin, body: { url } })).json).toMatchObject({ status: 400, code: "E_USAGE" });
  });
});

describe("commit-status targets", () => {
  it("keep the token to themselves: never answered, stored encrypted, never logged", async () => {
    const token = "ghp_a-token-that-must-never-be-shown-1234";
    const set = await api.request("PUT", "/api/projects/shop/statuses", { token: admin, body: { provider: "github", repository: "acme/shop", token } });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ provider: "github", repository: "acme/shop", apiUrl: "https://api.github.com" });
    const shown = await api.request("GET", "/api/projects/shop/statuses", { token: await api.token("viewer") });
    expect(shown.json).toMatchObject({ target: { provider: "github", repository: "acme/shop" }, reports: [] });
    for (const text of [set.text, shown.text, storeBytes(), api.logs.join(""), JSON.stringify((await api.request("GET", "/api/audit", { token: admin })).json)]) expect(text).not.toContain(token);
    expect((await api.request("DELETE", "/api/projects/shop/statuses", { token: admin })).status).toBe(204);
    expect((await api.request("GET", "/api/projects/shop/statuses", { token: admin })).json).toEqual({ target: null, reports: [] });
    expect((await api.request("DELETE", "/api/projects/shop/statuses", { token: admin })).status).toBe(404);
  });

  it.each([
    { name: "Gitea without its API's URL", body: { provider: "gitea", repository: "acme/shop", token: "t" } },
    { name: "a repository that is not OWNER/NAME", body: { provider: "github", repository: "shop", token: "t" } },
    { name: "an unknown provider", body: { provider: "bitbucket", repository: "acme/shop", token: "t" } },
  ])("refuses $name (400)", async ({ body }) => {
    expect((await api.request("PUT", "/api/projects/shop/statuses", { token: admin, body })).json).toMatchObject({ status: 400 });
  });
});
