/** Events, users, tokens, the audit log and the project list, against SQLite and a real PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import type { Store } from "./store.js";
import { storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds())("the server's tables ($name)", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await kind.open();
  });
  afterEach(() => store[Symbol.asyncDispose]());

  it("keeps a deployment's events in order and reads them after an id", async () => {
    const environmentId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "live");
    const deploymentId = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    const other = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    await store.appendEvents(Array.from({ length: 500 }, (_, i) => ({ deploymentId: i === 3 ? other : deploymentId, type: "log", json: JSON.stringify({ i }) })));
    const all = await store.events(deploymentId, 0, 1000);
    expect(all).toHaveLength(499);
    expect(all.slice(0, 4).map((e) => JSON.parse(e.json) as unknown)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 4 }]);
    const after = await store.events(deploymentId, all[1]?.id ?? 0, 2);
    expect(after.map((e) => e.json)).toEqual(['{"i":2}', '{"i":4}']);
  });

  it("refuses a second user of one name", async () => {
    await store.createUser({ name: "ann", role: "admin", passwordHash: "scrypt$…" });
    const again = await store.createUser({ name: "ann", role: "viewer", passwordHash: "x" }).catch((e: unknown) => e);
    expect(isSlipwayError(again, "E_EXISTS")).toBe(true);
    expect(await store.user("ann")).toMatchObject({ name: "ann", role: "admin", passwordHash: "scrypt$…" });
    expect(await store.users()).toEqual([expect.objectContaining({ name: "ann", role: "admin" })]);
  });

  it("finds a token by its digest, lists API tokens only, and revokes", async () => {
    const userId = await store.createUser({ name: "ann", role: "deployer", passwordHash: "h" });
    const api = await store.createToken({ digest: "d1", kind: "api", role: "viewer", project: "shop", description: "ci", expiresAt: new Date("2030-01-01T00:00:00Z") });
    await store.createToken({ digest: "d2", kind: "session", role: "deployer", userId, description: "session of ann" });
    expect(await store.tokenByDigest("d1")).toMatchObject({ id: api, kind: "api", role: "viewer", project: "shop", expiresAt: new Date("2030-01-01T00:00:00Z") });
    expect(await store.tokenByDigest("d2")).toMatchObject({ kind: "session", userName: "ann" });
    expect(await store.tokenByDigest("nope")).toBeUndefined();
    expect((await store.tokens()).map((t) => t.id)).toEqual([api]);
    expect(await store.revokeToken(api)).toBe(true);
    expect(await store.revokeToken(api)).toBe(false);
    expect((await store.tokenByDigest("d1"))?.revokedAt).toBeInstanceOf(Date);
    await store.revokeDigest("d2");
    expect((await store.tokenByDigest("d2"))?.revokedAt).toBeInstanceOf(Date);
  });

  it("keeps the audit log newest first, by project when asked", async () => {
    await store.audit({ actor: "ann", action: "token.create", detail: { id: 1 } });
    await store.audit({ actor: "ann", action: "variables.set", project: "shop", environment: "live", detail: { names: ["A"] } });
    await store.audit({ actor: "bob", action: "deployment.create", project: "blog", environment: "live", detail: { id: 3 } });
    expect((await store.auditLog({ limit: 10 })).map((a) => a.action)).toEqual(["deployment.create", "variables.set", "token.create"]);
    expect(await store.auditLog({ project: "shop", limit: 10 })).toEqual([expect.objectContaining({ actor: "ann", project: "shop", environment: "live", detail: { names: ["A"] } })]);
    const [newest] = await store.auditLog({ limit: 1 });
    expect((await store.auditLog({ limit: 10, before: newest?.id ?? 0 })).map((a) => a.action)).toEqual(["variables.set", "token.create"]);
  });

  it("keeps a git project's directory where its adopted checkout is, and its deliveries deduplicated", async () => {
    const id = await store.ensureProject("shop", "/home/git/mirrors/shop.git");
    await store.setProjectGit(id, { url: "https://example.invalid/shop.git", branch: "main" });
    await store.setProjectDir(id, "/home/git/checkouts/shop/aaaa");
    expect(await store.ensureProject("shop", "/home/git/checkouts/shop/pr-commit")).toBe(id);
    expect(await store.project("shop")).toMatchObject({ dir: "/home/git/checkouts/shop/aaaa", git: { url: "https://example.invalid/shop.git", branch: "main" } });
    await store.ensureProject("blog", "/srv/blog");
    await store.ensureProject("blog", "/srv/blog-moved");
    expect((await store.project("blog"))?.dir).toBe("/srv/blog-moved");

    const first = await store.recordDelivery({ project: "shop", provider: "github", event: "push", delivery: "d1", dedupe: "shop\ngithub\nd1", status: 202, verdict: "received" });
    expect(first.duplicateOf).toBeUndefined();
    await store.updateDelivery(first.id, { status: 202, verdict: "queued", deployments: [4] });
    const again = await store.recordDelivery({ project: "shop", provider: "github", event: "push", delivery: "d1", dedupe: "shop\ngithub\nd1", status: 202, verdict: "received" });
    expect(again.duplicateOf).toMatchObject({ id: first.id, verdict: "queued", deployments: [4] });
    // A failure frees the key: a redelivery tries again.
    await store.failDelivery(first.id, { status: 502, verdict: "failed: could not fetch" });
    expect((await store.recordDelivery({ project: "shop", provider: "github", event: "push", delivery: "d1", dedupe: "shop\ngithub\nd1", status: 202, verdict: "received" })).duplicateOf).toBeUndefined();
    expect((await store.deliveries("shop", 10)).map((d) => [d.status, d.verdict])).toEqual([
      [202, "received"],
      [200, "duplicate of delivery d1, handled before: nothing done"],
      [502, "failed: could not fetch"],
    ]);
  });

  it("lists projects with their environments", async () => {
    const shop = await store.ensureProject("shop", "/srv/shop");
    await store.ensureEnvironment(shop, "test");
    await store.ensureEnvironment(shop, "live");
    await store.ensureProject("blog", "/srv/blog");
    await store.setProjectSettings(shop, { cache: true });
    expect(await store.projects()).toEqual([
      { id: expect.any(Number) as number, name: "blog", dir: "/srv/blog", settings: {}, environments: [] },
      { id: shop, name: "shop", dir: "/srv/shop", settings: { cache: true }, environments: ["live", "test"] },
    ]);
    expect(await store.project("shop")).toMatchObject({ name: "shop", environments: ["live", "test"] });
    expect(await store.project("none")).toBeUndefined();
  });
});
