/** Deployments, steps and logs, against a real (in-memory) SQLite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./store.js";
import { storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds())("deployments, steps and logs ($name)", (kind) => {
  let store: Store;
  let environmentId: number;
  beforeEach(async () => {
    store = await kind.open();
    environmentId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "live");
  });
  afterEach(() => store[Symbol.asyncDispose]());

  it("creates a queued deployment owned by this process and patches it", async () => {
    const id = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    expect(await store.deployment(id)).toMatchObject({ id, environmentId, kind: "deploy", ref: "main", actor: "ann", status: "queued", pid: process.pid, commit: undefined, finishedAt: undefined });
    const finishedAt = new Date("2026-03-01T10:00:00.000Z");
    await store.updateDeployment(id, { commit: "abc123" });
    await store.updateDeployment(id, { status: "failed", error: "verify timed out", finishedAt });
    await store.updateDeployment(id, {});
    expect(await store.deployment(id)).toMatchObject({ commit: "abc123", status: "failed", error: "verify timed out", finishedAt });
    expect(await store.deployment(id + 100)).toBeUndefined();
  });

  it("finds an environment's latest deployment", async () => {
    expect(await store.latestDeployment(environmentId)).toBeUndefined();
    await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    const second = await store.createDeployment({ environmentId, kind: "rollback", ref: "v1", actor: "bob" });
    expect(await store.latestDeployment(environmentId)).toMatchObject({ id: second, kind: "rollback" });
  });

  it("records steps in order with their outcome", async () => {
    const deploymentId = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    const preflight = await store.startStep(deploymentId, "preflight");
    const source = await store.startStep(deploymentId, "source");
    expect((await store.steps(deploymentId)).map((s) => [s.name, s.status])).toEqual([
      ["preflight", "running"],
      ["source", "running"],
    ]);
    await store.finishStep(preflight, "succeeded");
    await store.finishStep(source, "failed", "git: unknown revision");
    const [first, second] = await store.steps(deploymentId);
    expect(first).toMatchObject({ name: "preflight", status: "succeeded", error: undefined });
    expect(first?.finishedAt).toBeInstanceOf(Date);
    expect(second).toMatchObject({ name: "source", status: "failed", error: "git: unknown revision" });
  });

  it("appends log lines in batches and reads them back in order", async () => {
    const deploymentId = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    const many = Array.from({ length: 1_000 }, (_, i) => ({ stream: i % 2 ? ("stderr" as const) : ("stdout" as const), line: `line ${i}` }));
    await store.appendLogs(deploymentId, "build", many);
    await store.appendLogs(deploymentId, "release", [{ stream: "info", line: "migrate: ok" }]);
    await store.appendLogs(deploymentId, "release", []);
    const logs = await store.logs(deploymentId);
    expect(logs).toHaveLength(1_001);
    expect(logs.slice(0, 2)).toMatchObject([
      { deploymentId, step: "build", stream: "stdout", line: "line 0" },
      { step: "build", stream: "stderr", line: "line 1" },
    ]);
    expect(logs.map((l) => l.line).slice(998)).toEqual(["line 998", "line 999", "migrate: ok"]);
    expect(logs[0]?.at).toBeInstanceOf(Date);
    const other = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    expect(await store.logs(other)).toEqual([]);
  });
});
