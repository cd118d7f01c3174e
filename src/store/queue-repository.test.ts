/** The durable queue, against SQLite and a real PostgreSQL: enqueue, supersede, claim, cancel, orphans. */
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./store.js";
import { deadPid } from "./testing/process.js";
import { storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds())("the deployment queue ($name)", (kind) => {
  let store: Store;
  let live: number;
  let test: number;
  beforeEach(async () => {
    store = await kind.open();
    const projectId = await store.ensureProject("shop", "/srv/shop");
    live = await store.ensureEnvironment(projectId, "live");
    test = await store.ensureEnvironment(projectId, "test");
  });
  afterEach(() => store[Symbol.asyncDispose]());

  const enqueue = (environmentId: number, ref = "main") => store.enqueueDeployment({ environmentId, kind: "deploy", ref, actor: "ann", request: { kind: "deploy", ref } });

  it("records a request queued, owned by no process, with what was asked", async () => {
    const { id, superseded } = await enqueue(live);
    expect(superseded).toEqual([]);
    expect(await store.deployment(id)).toMatchObject({ status: "queued", queuedRequest: true, pid: undefined, hostname: undefined, ref: "main" });
  });

  it("supersedes an older request of the environment still waiting, and only that one", async () => {
    const first = await enqueue(live, "a");
    const other = await enqueue(test, "b");
    const cli = await store.createDeployment({ environmentId: live, kind: "deploy", ref: "cli", actor: "bob" });
    const second = await enqueue(live, "c");
    expect(second.superseded).toEqual([first.id]);
    expect(await store.deployment(first.id)).toMatchObject({ status: "superseded", error: `superseded by deployment ${second.id}` });
    expect((await store.deployment(other.id))?.status).toBe("queued");
    // A CLI call waiting for the lock is its own process's: never superseded, never claimed.
    expect((await store.deployment(cli))?.status).toBe("queued");
  });

  it("claims the oldest request of an idle environment, once, for this process", async () => {
    const a = await enqueue(live);
    const b = await enqueue(test);
    const claimed = await store.claimDeployment();
    expect(claimed).toMatchObject({ id: a.id, environmentId: live, request: { kind: "deploy", ref: "main" } });
    expect(await store.deployment(a.id)).toMatchObject({ status: "queued", pid: process.pid, hostname: hostname() });
    expect((await store.claimDeployment())?.id).toBe(b.id);
    expect(await store.claimDeployment()).toBeUndefined();
  });

  it("claims nothing in an environment where a deployment runs or is claimed", async () => {
    const running = await enqueue(live, "first");
    expect((await store.claimDeployment())?.id).toBe(running.id);
    await store.updateDeployment(running.id, { status: "running" });
    const next = await enqueue(live, "second");
    expect(await store.claimDeployment()).toBeUndefined();
    await store.updateDeployment(running.id, { status: "succeeded", finishedAt: new Date() });
    expect((await store.claimDeployment())?.id).toBe(next.id);
  });

  it("cancels a waiting request at once and asks a claimed one's runner to stop", async () => {
    const claimed = await enqueue(live);
    expect((await store.claimDeployment())?.id).toBe(claimed.id);
    const waiting = await enqueue(test);
    expect(await store.requestCancel(waiting.id)).toBe("cancelled");
    expect(await store.deployment(waiting.id)).toMatchObject({ status: "cancelled", error: "cancelled before it ran" });
    expect(await store.requestCancel(claimed.id)).toBe("requested");
    expect((await store.deployment(claimed.id))?.status).toBe("queued");
    expect(await store.cancelRequested([claimed.id])).toEqual([claimed.id]);
    await store.updateDeployment(claimed.id, { status: "cancelled", finishedAt: new Date() });
    expect(await store.requestCancel(claimed.id)).toBe("finished");
    expect(await store.requestCancel(9999)).toBeUndefined();
  });

  it("names the environments whose claimed deployments a dead process left", async () => {
    await enqueue(test);
    expect(await store.claimDeployment()).toBeDefined();
    await enqueue(live);
    expect(await store.orphanedEnvironments()).toEqual([]);
    await store.db.updateTable("deployments").set({ pid: await deadPid(), process_started: null }).where("pid", "is not", null).execute();
    // The one still waiting belongs to no process: it runs, it is not reconciled.
    expect(await store.orphanedEnvironments()).toEqual([test]);
  });

  it("counts deployments by status and times the finished ones", async () => {
    const { id } = await enqueue(live);
    await enqueue(test);
    await store.db.updateTable("deployments").set({ status: "succeeded", running_at: "2026-01-01T10:00:00.000Z", finished_at: "2026-01-01T10:00:42.000Z" }).where("id", "=", id).execute();
    expect(await store.deploymentStats()).toEqual({ byStatus: { queued: 1, succeeded: 1 }, durations: [{ status: "succeeded", seconds: 42 }] });
  });

  it("places a deployment in its project and environment", async () => {
    const { id } = await enqueue(test);
    expect(await store.deploymentPlace(id)).toMatchObject({ project: "shop", environment: "test", dir: "/srv/shop" });
    expect(await store.deploymentPlace(9999)).toBeUndefined();
  });
});
