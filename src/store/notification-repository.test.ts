/** Notification targets and attempts, commit-status targets and reports, against SQLite and a real PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./store.js";
import { storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds())("the report tables ($name)", (kind) => {
  let store: Store;
  let projectId: number;
  let deploymentId: number;
  beforeEach(async () => {
    store = await kind.open();
    projectId = await store.ensureProject("shop", "/srv/shop");
    deploymentId = await store.createDeployment({ environmentId: await store.ensureEnvironment(projectId, "live"), kind: "deploy", ref: "main", actor: "ann" });
  });
  afterEach(() => store[Symbol.asyncDispose]());

  it("keeps a project's notification targets and their attempts, newest attempt first; removing a target removes its attempts", async () => {
    const other = await store.ensureProject("blog", "/srv/blog");
    const first = await store.addNotificationTarget({ projectId, url: "https://a.example/hook", secret: "slipway:v1:x", actor: "ann" });
    const second = await store.addNotificationTarget({ projectId, url: "https://b.example/hook", secret: "slipway:v1:y", actor: "ann" });
    await store.addNotificationTarget({ projectId: other, url: "https://c.example/hook", secret: "slipway:v1:z", actor: "ann" });
    expect((await store.notificationTargets(projectId)).map((t) => [t.id, t.url, t.secret])).toEqual([
      [first.id, "https://a.example/hook", "slipway:v1:x"],
      [second.id, "https://b.example/hook", "slipway:v1:y"],
    ]);
    await store.recordNotificationAttempt({ targetId: first.id, deploymentId, delivery: "d-1", event: "deployment.live", attempt: 1, error: "connection refused", durationMs: 3.4 });
    await store.recordNotificationAttempt({ targetId: first.id, deploymentId, delivery: "d-1", event: "deployment.live", attempt: 2, httpStatus: 200, durationMs: 12 });
    const attempts = await store.notificationAttempts(projectId, 10);
    expect(attempts.map((a) => [a.attempt, a.httpStatus, a.error, a.durationMs, a.url])).toEqual([
      [2, 200, undefined, 12, "https://a.example/hook"],
      [1, undefined, "connection refused", 3, "https://a.example/hook"],
    ]);
    expect(await store.notificationAttempts(projectId, 1)).toHaveLength(1);
    expect(await store.removeNotificationTarget(other, first.id)).toBe(false);
    expect(await store.removeNotificationTarget(projectId, first.id)).toBe(true);
    expect(await store.notificationAttempts(projectId, 10)).toEqual([]);
    expect((await store.notificationTargets(projectId)).map((t) => t.id)).toEqual([second.id]);
  });

  it("keeps one status target a project, replaced when set again, and its reports by deployment", async () => {
    await store.setStatusTarget({ projectId, provider: "github", repository: "acme/shop", apiUrl: "https://api.github.com", token: "slipway:v1:t", actor: "ann" });
    await store.setStatusTarget({ projectId, provider: "gitlab", repository: "acme/shop", apiUrl: "https://gitlab.com/api/v4", token: "slipway:v1:u", actor: "bob" });
    expect(await store.statusTarget(projectId)).toMatchObject({ provider: "gitlab", token: "slipway:v1:u", actor: "bob" });
    const later = await store.createDeployment({ environmentId: await store.ensureEnvironment(projectId, "test"), kind: "deploy", ref: "main", actor: "ann" });
    await store.recordStatusReport({ projectId, deploymentId, provider: "github", state: "pending", attempt: 1, httpStatus: 201, externalId: "42", durationMs: 5 });
    await store.recordStatusReport({ projectId, deploymentId: later, provider: "github", state: "pending", attempt: 1, error: "timed out", durationMs: 10_000 });
    expect((await store.statusReports({ projectId, limit: 10 })).map((r) => [r.deploymentId, r.state, r.httpStatus, r.error, r.externalId])).toEqual([
      [later, "pending", undefined, "timed out", undefined],
      [deploymentId, "pending", 201, undefined, "42"],
    ]);
    expect((await store.statusReports({ projectId, deploymentId, limit: 10 })).map((r) => r.externalId)).toEqual(["42"]);
    expect(await store.removeStatusTarget(projectId)).toBe(true);
    expect(await store.removeStatusTarget(projectId)).toBe(false);
    expect(await store.statusTarget(projectId)).toBeUndefined();
  });

  it("re-seals notification secrets and status tokens with everything else", async () => {
    await store.addNotificationTarget({ projectId, url: "https://a.example/hook", secret: "old-secret", actor: "ann" });
    await store.setStatusTarget({ projectId, provider: "gitea", repository: "acme/shop", apiUrl: "https://git.example/api/v1", token: "old-token", actor: "ann" });
    const seen: string[] = [];
    expect(await store.reseal((entry) => (seen.push(`${entry.table} ${entry.sealed}`), { sealed: `new ${entry.sealed}` }))).toBe(2);
    expect(seen).toEqual(["notification_targets old-secret", "status_targets old-token"]);
    expect((await store.notificationTargets(projectId))[0]?.secret).toBe("new old-secret");
    expect((await store.statusTarget(projectId))?.token).toBe("new old-token");
  });
});
