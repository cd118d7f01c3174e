/** The deploy lock within one process: refusal, waiting, abort, and taking over from the dead. */
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SlipwayError } from "../core/errors.js";
import { LockedError } from "./store.js";
import type { Store } from "./store.js";
import { deadPid } from "./testing/process.js";
import { storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds())("acquireLock ($name)", (kind) => {
  let store: Store;
  let environmentId: number;
  beforeEach(async () => {
    store = await kind.open();
    environmentId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "live");
  });
  afterEach(() => store[Symbol.asyncDispose]());

  const lockRow = () => store.db.selectFrom("locks").selectAll().where("environment_id", "=", environmentId).executeTakeFirst();

  it("records the holder and frees the lock when disposed", async () => {
    const deploymentId = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    {
      await using _lock = await store.acquireLock(environmentId, { description: "deployment 1 by ann", deploymentId });
      expect(await lockRow()).toMatchObject({ holder: "deployment 1 by ann", pid: process.pid, hostname: hostname(), deployment_id: deploymentId });
    }
    expect(await lockRow()).toBeUndefined();
  });

  it("with wait:false, throws LockedError naming a live holder", async () => {
    await using _held = await store.acquireLock(environmentId, { description: "deployment 7 by ann" });
    const attempt = store.acquireLock(environmentId, { description: "deployment 8 by bob" }, { wait: false });
    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    const error = (await attempt.catch((e: unknown) => e)) as LockedError;
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.code).toBe("E_LOCKED");
    expect(error.holder).toBe("deployment 7 by ann");
    expect(error.message).toContain("deployment 7 by ann");
  });

  it("waits for a live holder, telling onWait once, then takes the lock", async () => {
    const first = await store.acquireLock(environmentId, { description: "deployment 1 by ann" });
    const onWait = vi.fn();
    const second = store.acquireLock(environmentId, { description: "deployment 2 by bob" }, { pollMs: 5, onWait });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(onWait.mock.calls).toEqual([["deployment 1 by ann"]]);
    await first.release();
    await using _second = await second;
    expect(await lockRow()).toMatchObject({ holder: "deployment 2 by bob" });
    expect(onWait).toHaveBeenCalledTimes(1);
  });

  it("stops waiting when its signal aborts, with the signal's reason", async () => {
    await using _held = await store.acquireLock(environmentId, { description: "deployment 1 by ann" });
    const controller = new AbortController();
    const waiting = store.acquireLock(environmentId, { description: "deployment 2 by bob" }, { pollMs: 5, signal: controller.signal });
    const reason = new Error("cancelled by the user");
    setTimeout(() => controller.abort(reason), 30);
    await expect(waiting).rejects.toBe(reason);
  });

  it("takes over a lock whose process on this host is gone", async () => {
    const pid = await deadPid();
    await store.db.insertInto("locks").values({ environment_id: environmentId, holder: "deployment 3 by crashed", pid, hostname: hostname(), acquired_at: "2026-01-01T00:00:00.000Z" }).execute();
    await using _lock = await store.acquireLock(environmentId, { description: "deployment 4 by ann" }, { wait: false });
    expect(await lockRow()).toMatchObject({ holder: "deployment 4 by ann", pid: process.pid });
  });

  it("does not take over a lock held from another host, whose pids it cannot check", async () => {
    const pid = await deadPid();
    await store.db.insertInto("locks").values({ environment_id: environmentId, holder: "deployment 5 elsewhere", pid, hostname: `not-${hostname()}`, acquired_at: "2026-01-01T00:00:00.000Z" }).execute();
    await expect(store.acquireLock(environmentId, { description: "deployment 6 by ann" }, { wait: false })).rejects.toMatchObject({ code: "E_LOCKED", holder: "deployment 5 elsewhere" });
  });

  it("releases only its own row, once", async () => {
    const pid = await deadPid();
    const stale = await store.acquireLock(environmentId, { description: "deployment 1 (dies)", pid });
    // Its process is dead, so the next taker replaces the row; the stale handle must not remove it.
    await using _taken = await store.acquireLock(environmentId, { description: "deployment 2 by ann" }, { wait: false });
    await stale.release();
    await stale.release();
    expect(await lockRow()).toMatchObject({ holder: "deployment 2 by ann" });
  });

  it("locks each environment separately", async () => {
    const testId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "test");
    await using _live = await store.acquireLock(environmentId, { description: "live deploy" });
    await using _test = await store.acquireLock(testId, { description: "test deploy" }, { wait: false });
    expect(await store.db.selectFrom("locks").select("holder").orderBy("holder").execute()).toEqual([{ holder: "live deploy" }, { holder: "test deploy" }]);
  });
});
