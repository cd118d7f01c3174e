/** Projects, environments, builds and releases, against a real (in-memory) SQLite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./store.js";
import { storeKinds } from "./testing/store-kinds.js";

const images = { web: { image: "shop-web:abc123", id: "sha256:1" }, worker: { image: "shop-worker:abc123", id: "sha256:2" } };

describe.each(storeKinds())("projects, builds and releases ($name)", (kind) => {
  let store: Store;
  let projectId: number;
  let environmentId: number;
  beforeEach(async () => {
    store = await kind.open();
    projectId = await store.ensureProject("shop", "/srv/shop");
    environmentId = await store.ensureEnvironment(projectId, "live");
  });
  afterEach(() => store[Symbol.asyncDispose]());

  it("finds a project and environment again by name, and records a moved project's dir", async () => {
    expect(await store.ensureProject("shop", "/srv/shop2")).toBe(projectId);
    expect(await store.db.selectFrom("projects").select(["name", "dir"]).execute()).toEqual([{ name: "shop", dir: "/srv/shop2" }]);
    expect(await store.ensureEnvironment(projectId, "live")).toBe(environmentId);
    expect(await store.ensureEnvironment(projectId, "test")).not.toBe(environmentId);
    const other = await store.ensureProject("blog", "/srv/blog");
    expect(await store.ensureEnvironment(other, "live")).not.toBe(environmentId);
  });

  it("enforces foreign keys", async () => {
    await expect(store.ensureEnvironment(9999, "live")).rejects.toThrow(/FOREIGN KEY/i);
  });

  it("stores a build and finds it by its key, within its project only", async () => {
    const build = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "key-1", images });
    expect(build).toMatchObject({ projectId, commit: "abc123", tag: "abc123", buildKey: "key-1", images });
    expect(build.createdAt).toBeInstanceOf(Date);
    expect(await store.findBuild(projectId, "key-1")).toEqual(build);
    expect(await store.findBuild(projectId, "key-2")).toBeUndefined();
    const other = await store.ensureProject("blog", "/srv/blog");
    expect(await store.findBuild(other, "key-1")).toBeUndefined();
  });

  it("saving a build of a key already recorded keeps its id and takes the new images", async () => {
    const first = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "key-1", images });
    const rebuilt = { web: { image: "shop/web:abc123", id: "sha256:rebuilt" } };
    const again = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "key-1", images: rebuilt });
    expect(again).toMatchObject({ id: first.id, buildKey: "key-1", images: rebuilt });
    expect(await store.findBuild(projectId, "key-1")).toEqual(again);
  });

  it("keeps a build's pushed digests by reference, a later push of one replacing its row", async () => {
    const { id: buildId } = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "k", images });
    expect(await store.pushedImages(buildId)).toEqual([]);
    await store.recordPushed({ buildId, service: "web", reference: "r.test/shop/web:abc123", imageId: "sha256:1", digest: "sha256:aaa" });
    await store.recordPushed({ buildId, service: "web", reference: "other.test/shop/web:abc123", imageId: "sha256:1", digest: "sha256:aaa" });
    await store.recordPushed({ buildId, service: "web", reference: "r.test/shop/web:abc123", imageId: "sha256:rebuilt", digest: "sha256:bbb" });
    const rows = await store.pushedImages(buildId);
    expect(rows.map(({ pushedAt: _at, ...row }) => row)).toEqual([
      { service: "web", reference: "other.test/shop/web:abc123", imageId: "sha256:1", digest: "sha256:aaa" },
      { service: "web", reference: "r.test/shop/web:abc123", imageId: "sha256:rebuilt", digest: "sha256:bbb" },
    ]);
    expect(rows[0]?.pushedAt).toBeInstanceOf(Date);
    await expect(store.recordPushed({ buildId: 9999, service: "web", reference: "r.test/x:1", imageId: "sha256:1", digest: "sha256:c" })).rejects.toThrow(/FOREIGN KEY|violates/i);
  });

  it("numbers releases per environment", async () => {
    const { id: buildId } = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "k", images });
    const testId = await store.ensureEnvironment(projectId, "test");
    expect(await store.nextReleaseNumber(environmentId)).toBe(1);
    await store.createRelease({ environmentId, number: 1, buildId, kind: "deploy", config: {} });
    await store.createRelease({ environmentId, number: 2, buildId, kind: "deploy", config: {} });
    expect(await store.nextReleaseNumber(environmentId)).toBe(3);
    expect(await store.nextReleaseNumber(testId)).toBe(1);
    await expect(store.createRelease({ environmentId, number: 2, buildId, kind: "deploy", config: {} })).rejects.toThrow(/UNIQUE/i);
  });

  it("keeps a release's config snapshot as given and tracks its status", async () => {
    const { id: buildId } = await store.saveBuild({ projectId, commit: "abc123", tag: "abc123", buildKey: "k", images });
    const config = { plan: { services: ["web"], routes: [{ listen: 80 }] }, commit: "abc123" };
    const release = await store.createRelease({ environmentId, number: 1, buildId, kind: "deploy", config });
    expect(release).toMatchObject({ environmentId, number: 1, buildId, kind: "deploy", config, status: "pending" });
    expect(await store.liveRelease(environmentId)).toBeUndefined();
    await store.setReleaseStatus(release.id, "live");
    expect(await store.liveRelease(environmentId)).toMatchObject({ id: release.id, status: "live" });
  });

  it("lists releases newest first with their build and the deployment that made them", async () => {
    const first = await store.saveBuild({ projectId, commit: "aaa111", tag: "aaa111", buildKey: "k1", images });
    const second = await store.saveBuild({ projectId, commit: "bbb222", tag: "bbb222", buildKey: "k2", images });
    const d1 = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
    const v1 = await store.createRelease({ environmentId, number: 1, buildId: first.id, kind: "deploy", config: {} });
    const finishedAt = new Date("2026-03-01T10:00:05.000Z");
    await store.updateDeployment(d1, { releaseId: v1.id, status: "succeeded", finishedAt });
    const v2 = await store.createRelease({ environmentId, number: 2, buildId: second.id, kind: "rollback", config: {} });

    const listed = await store.releases(environmentId);
    expect(listed.map((r) => [r.number, r.commit, r.tag, r.kind])).toEqual([
      [2, "bbb222", "bbb222", "rollback"],
      [1, "aaa111", "aaa111", "deploy"],
    ]);
    expect(listed[0]).toMatchObject({ id: v2.id });
    expect(listed[0]?.deployment).toBeUndefined();
    expect(listed[1]?.deployment).toMatchObject({ id: d1, actor: "ann", status: "succeeded", finishedAt });
    expect(listed[1]?.deployment?.startedAt).toBeInstanceOf(Date);
  });

  it("reads only the newest releases, or only those of given statuses", async () => {
    const { id: buildId } = await store.saveBuild({ projectId, commit: "ccc333", tag: "ccc333", buildKey: "k3", images });
    const statuses = ["retired", "retired", "superseded", "failed", "live", "failed"] as const;
    for (const [i, status] of statuses.entries()) {
      const release = await store.createRelease({ environmentId, number: i + 1, buildId, kind: "deploy", config: {} });
      await store.setReleaseStatus(release.id, status);
    }
    expect((await store.releases(environmentId, { limit: 2 })).map((r) => r.number)).toEqual([6, 5]);
    expect((await store.releases(environmentId, { statuses: ["live", "superseded"] })).map((r) => [r.number, r.status])).toEqual([[5, "live"], [3, "superseded"]]);
    expect((await store.releases(environmentId, { statuses: ["failed"], limit: 1 })).map((r) => r.number)).toEqual([6]);
    expect(await store.releases(environmentId, { statuses: [] })).toEqual([]);
  });
});
