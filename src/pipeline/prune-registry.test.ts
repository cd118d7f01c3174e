import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine, ImageSummary } from "../adapters/docker-engine.js";
import type { DeleteOutcome, RegistryManifests } from "../adapters/registry-manifests.js";
import { homePaths } from "./paths.js";
import { describePrune, prune, type PruneDeps } from "./prune.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const REGISTRY = "127.0.0.1:5000/shop";
const labels = { "slipway.managed": "true", "slipway.project": "shop" };
const image = (id: string, tag: string): ImageSummary => ({ id, tags: [`shop/web:${tag}`, `${REGISTRY}/web:${tag}`], size: 1_000_000, labels }) as ImageSummary;

/** One environment whose live release runs `live`; builds `old` and `twin` are past retention (retain 1). */
function world(options: { manifests: Record<string, string>; deletion?: DeleteOutcome | Error }) {
  const removed: string[] = [];
  const deleted: string[] = [];
  const engine = {
    containers: () => Promise.resolve([]),
    images: () => Promise.resolve([image("i-live", "live"), image("i-old", "old"), image("i-twin", "twin")]),
    removeImage: (tag: string) => Promise.resolve(void removed.push(tag)),
  } as unknown as Engine;
  const deps: PruneDeps = {
    store: {
      environments: () => Promise.resolve([{ id: 1, name: "live" }]),
      releases: () => Promise.resolve([{ id: 3, number: 3, status: "live", tag: "live" }]),
      recentBuilds: () => Promise.resolve([{ tag: "live" }]),
    } as unknown as PruneDeps["store"],
    engine,
    compose: {} as PruneDeps["compose"],
    paths: homePaths(mkdtempSync(join(tmpdir(), "slipway-prune-registry-"))),
  };
  made.push(deps.paths.home);
  const manifests: RegistryManifests = {
    digestOf: (repository, tag) => Promise.resolve(options.manifests[`${repository}:${tag}`]),
    deleteManifest: (repository, digest) => {
      if (options.deletion instanceof Error) return Promise.reject(options.deletion);
      deleted.push(`${repository}@${digest}`);
      return Promise.resolve(options.deletion ?? "deleted");
    },
  };
  return { deps, removed, deleted, registry: { name: REGISTRY, manifests } };
}

const options = { projectId: 1, project: "shop", dir: "/nowhere", retain: 1 };

describe("retention on a swarm environment's registry", () => {
  it("deletes the manifests of pruned builds only, leaves one a kept tag also names, and untags both here", async () => {
    // twin's image is the very manifest live runs: deleting it by digest would take live's tag too.
    const w = world({ manifests: { "shop/web:live": "sha256:L", "shop/web:old": "sha256:O", "shop/web:twin": "sha256:L" } });
    const report = await prune(w.deps, { ...options, registry: w.registry });
    expect(w.deleted).toEqual(["shop/web@sha256:O"]);
    expect(report.registryTags).toEqual([
      { reference: `${REGISTRY}/web:old`, outcome: "deleted" },
      { reference: `${REGISTRY}/web:twin`, outcome: "shared" },
    ]);
    expect(w.removed.sort()).toEqual([`${REGISTRY}/web:old`, `${REGISTRY}/web:twin`, "shop/web:old", "shop/web:twin"]);
    expect(describePrune(report)).toBe(
      "removed 2 image tags (about 2.0 MB), 0 stopped release projects, 0 build directories; deleted 1 pushed tag from the registry, left 1 whose image a kept release also names",
    );
  });

  it("reports a registry that does not delete, or fails, and never fails the prune", async () => {
    const refusing = world({ manifests: { "shop/web:live": "sha256:L", "shop/web:old": "sha256:O", "shop/web:twin": "sha256:T" }, deletion: "not-allowed" });
    const refused = await prune(refusing.deps, { ...options, registry: refusing.registry });
    expect(describePrune(refused)).toContain("left 2: the registry does not allow deletion (enable it, for Distribution storage.delete.enabled, or delete them with its own tools)");

    const failing = world({ manifests: { "shop/web:live": "sha256:L", "shop/web:old": "sha256:O", "shop/web:twin": "sha256:T" }, deletion: new Error("connect ECONNREFUSED") });
    const failed = await prune(failing.deps, { ...options, registry: failing.registry });
    expect(failed.registryTags.map((t) => t.outcome)).toEqual(["failed", "failed"]);
    expect(describePrune(failed)).toContain("could not delete 2 (connect ECONNREFUSED): prune again to retry");
    // A failed tag stays here too, so the next prune tries it again.
    expect(failing.removed.filter((t) => t.startsWith(REGISTRY))).toEqual([]);
  });

  it("asks the registry nothing on a dry run", async () => {
    const w = world({ manifests: {} });
    const report = await prune(w.deps, { ...options, registry: { name: REGISTRY, manifests: { digestOf: () => Promise.reject(new Error("asked")), deleteManifest: () => Promise.reject(new Error("asked")) } }, dryRun: true });
    expect(report.registryTags.map((t) => t.outcome)).toEqual(["planned", "planned"]);
    expect(w.removed).toEqual([]);
    expect(describePrune(report, true)).toContain("would delete 2 pushed tags from the registry");
  });
});
