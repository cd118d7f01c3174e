/**
 * Retention: the images of the last `retain` releases of every environment, of the project's
 * last `retain` builds (one made by `slipway build` waits there for its deploy), and whatever a
 * live or kept release runs, stay; the rest of what Slipway built for the project goes (its
 * images, stopped release projects, build directories). Never touches what Slipway did not
 * create: only images labelled slipway.managed and slipway.project, tagged <project>/…. A
 * mirror's images carry its original's labels (they are the original's builds, tagged again),
 * so a mirror also looks at those, and removes only its own tags.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { ComposeCli } from "../adapters/compose-cli.js";
import type { Engine, ImageSummary } from "../adapters/docker-engine.js";
import type { RegistryManifests } from "../adapters/registry-manifests.js";
import { LABEL } from "../plan/naming.js";
import { repositoryOf } from "../plan/registry-images.js";
import type { Store } from "../store/store.js";
import { composeDown } from "./compose-down.js";
import { runsAsOf } from "./release-snapshot.js";
import type { HomePaths } from "./paths.js";

/** What became of a pushed tag of a pruned build, in a swarm environment's registry. */
export interface RegistryTagOutcome {
  /** `<registry>/<service>:<tag>`, also untagged on this engine. */
  readonly reference: string;
  /**
   * deleted; absent (the registry had it no more); shared (its manifest is also a kept tag's:
   * left); not-allowed (the registry does not delete); failed; planned (a dry run).
   */
  readonly outcome: "deleted" | "absent" | "shared" | "not-allowed" | "failed" | "planned";
  readonly detail?: string;
}

export interface PruneReport {
  readonly images: ReadonlyArray<{ readonly tag: string; readonly size: number }>;
  readonly projects: readonly string[];
  readonly buildDirs: readonly string[];
  readonly keptTags: readonly string[];
  readonly registryTags: readonly RegistryTagOutcome[];
}

export interface PruneDeps {
  readonly store: Pick<Store, "environments" | "releases" | "recentBuilds">;
  readonly engine: Engine;
  readonly compose: ComposeCli;
  readonly paths: HomePaths;
}

export interface PruneOptions {
  readonly projectId: number;
  readonly project: string;
  readonly dir: string;
  readonly retain: number;
  /** The project this one mirrors (`mirror_of`), whose labelled images may carry this one's tags. */
  readonly mirrorOf?: string;
  readonly dryRun?: boolean;
  /** A swarm environment's registry: pushed tags of pruned builds are deleted there too. */
  readonly registry?: { readonly name: string; readonly manifests: RegistryManifests };
}

/** Tags to keep, and the release projects (by compose project name) that may keep containers. */
async function keepSet(deps: PruneDeps, options: PruneOptions): Promise<{ tags: Set<string>; projects: Set<string> }> {
  const tags = new Set<string>();
  const projects = new Set<string>();
  for (const build of await deps.store.recentBuilds(options.projectId, options.retain)) tags.add(build.tag);
  for (const environment of await deps.store.environments(options.projectId)) {
    const releases = await deps.store.releases(environment.id);
    const wentLive = releases.filter((r) => r.status !== "failed" && r.status !== "pending");
    for (const r of wentLive.slice(0, options.retain)) tags.add(r.tag);
    for (const r of releases.filter((r) => r.status === "live" || r.status === "superseded")) {
      tags.add(r.tag);
      projects.add(`${options.project}-${environment.name}-${runsAsOf(r)}`);
    }
    // A deployment under way owns its pending release.
    for (const r of releases.filter((r) => r.status === "pending")) projects.add(`${options.project}-${environment.name}-v${r.number}`);
  }
  return { tags, projects };
}

export async function prune(deps: PruneDeps, options: PruneOptions): Promise<PruneReport> {
  const { engine, compose, paths } = deps;
  const { tags: keep, projects: keepProjects } = await keepSet(deps, options);

  // Release projects that are neither live nor kept: containers left by an interrupted run.
  const containers = await engine.containers({ [LABEL.project]: options.project });
  const inUse = new Set<string>();
  const projects = new Set<string>();
  for (const c of containers) {
    const name = c.labels["com.docker.compose.project"];
    if (c.labels[LABEL.release] === "accessories" || !name || keepProjects.has(name)) inUse.add(c.labels["com.docker.compose.image"] ?? "");
    else projects.add(name);
  }

  const images: Array<{ tag: string; size: number }> = [];
  const owners = [options.project, ...(options.mirrorOf ? [options.mirrorOf] : [])];
  const candidates = (await Promise.all(owners.map((owner) => engine.images({ [LABEL.managed]: "true", [LABEL.project]: owner })))).flat();
  for (const image of candidates) {
    for (const tag of image.tags.filter((t) => t.startsWith(`${options.project}/`))) {
      const version = tag.slice(tag.lastIndexOf(":") + 1);
      if (!keep.has(version) && !inUse.has(image.id)) images.push({ tag, size: image.size });
    }
  }
  const buildDirs = [...unkeptDirs(paths, options, keep)];
  const pushed = options.registry ? pushedTags(candidates, options.registry.name, keep, inUse) : { doomed: [], kept: [] };

  if (!options.dryRun) {
    for (const name of projects) await composeDown(compose, { projectName: name, files: [], projectDirectory: options.dir });
    for (const image of images) await engine.removeImage(image.tag);
    for (const dir of buildDirs) rmSync(dir, { recursive: true, force: true });
  }
  const registryTags = options.registry && !options.dryRun ? await pruneRegistry(engine, options.registry, pushed) : pushed.doomed.map((reference) => ({ reference, outcome: "planned" as const }));
  return { images, projects: [...projects], buildDirs, keptTags: [...keep].sort(), registryTags };
}

/** This engine's tags of pushed images under the registry: those of pruned builds, and the kept ones. */
function pushedTags(images: readonly ImageSummary[], registry: string, keep: ReadonlySet<string>, inUse: ReadonlySet<string>): { doomed: string[]; kept: string[] } {
  const prefix = `${registry.replace(/\/+$/, "")}/`;
  const doomed: string[] = [];
  const kept: string[] = [];
  for (const image of images) {
    for (const tag of image.tags.filter((t) => t.startsWith(prefix))) {
      if (keep.has(tag.slice(tag.lastIndexOf(":") + 1)) || inUse.has(image.id)) kept.push(tag);
      else doomed.push(tag);
    }
  }
  return { doomed: [...new Set(doomed)], kept: [...new Set(kept)] };
}

/**
 * Deletes each pruned tag's manifest from the registry, unless a kept tag names the same
 * manifest (deleting by digest would take that tag too), and untags it here. A registry that
 * fails or refuses leaves its tags there, reported: retention never fails on a registry.
 */
async function pruneRegistry(engine: Engine, registry: NonNullable<PruneOptions["registry"]>, pushed: { doomed: readonly string[]; kept: readonly string[] }): Promise<RegistryTagOutcome[]> {
  const outcomes: RegistryTagOutcome[] = [];
  const keptDigests = new Set<string>();
  try {
    for (const reference of pushed.kept) {
      const { repository, tag } = repositoryOf(reference, registry.name);
      const digest = await registry.manifests.digestOf(repository, tag);
      if (digest) keptDigests.add(`${repository}@${digest}`);
    }
  } catch (error) {
    // Without the kept digests, no deletion is safe.
    return pushed.doomed.map((reference) => ({ reference, outcome: "failed", detail: (error as Error).message }));
  }
  for (const reference of pushed.doomed) {
    const { repository, tag } = repositoryOf(reference, registry.name);
    try {
      const digest = await registry.manifests.digestOf(repository, tag);
      const outcome = digest === undefined ? "absent" : keptDigests.has(`${repository}@${digest}`) ? "shared" : await registry.manifests.deleteManifest(repository, digest);
      outcomes.push({ reference, outcome });
      // Untagged here whatever the registry did: a tag left there is reported once, now.
      await engine.removeImage(reference);
    } catch (error) {
      outcomes.push({ reference, outcome: "failed", detail: (error as Error).message });
    }
  }
  return outcomes;
}

/** How long a checkout stays whatever its build: one being deployed may have no saved build yet. */
const CHECKOUT_GRACE_MS = 60 * 60_000;
/** A tree being exported or checked out now: its own call removes it if it fails. */
const IN_PROGRESS = /\.(export|checkout)-\d+-[0-9a-f]+$/;

/**
 * Exported build trees, and for a project from a git URL its checkouts, of no kept build: a
 * checkout is named by its whole commit, whose first 12 characters are the build's tag. The
 * project's own directory (its newest checkout) stays whatever it is, and so does a checkout of
 * the last hour: a deployment of another environment may be reading it before its build is saved.
 */
export function* unkeptDirs(paths: HomePaths, options: PruneOptions, keep: ReadonlySet<string>): Generator<string> {
  const builds = dirname(paths.build(options.project, "x"));
  if (existsSync(builds)) for (const tag of readdirSync(builds)) if (!keep.has(tag) && !IN_PROGRESS.test(tag)) yield paths.build(options.project, tag);
  const checkouts = dirname(paths.checkout(options.project, "x"));
  if (!existsSync(checkouts)) return;
  for (const commit of readdirSync(checkouts)) {
    const dir = paths.checkout(options.project, commit);
    if (keep.has(commit.slice(0, 12)) || IN_PROGRESS.test(commit) || dir === options.dir) continue;
    if (Date.now() - statSync(dir).mtimeMs >= CHECKOUT_GRACE_MS) yield dir;
  }
}

export function describePrune(report: PruneReport, dryRun = false): string {
  const bytes = new Map(report.images.map((i) => [i.tag.slice(i.tag.lastIndexOf(":") + 1), i.size]));
  const megabytes = ([...bytes.values()].reduce((a, b) => a + b, 0) / 1e6).toFixed(1);
  const verb = dryRun ? "would remove" : "removed";
  if (report.images.length + report.projects.length + report.buildDirs.length + report.registryTags.length === 0) return "nothing to prune";
  const local = `${verb} ${report.images.length} image tag${report.images.length === 1 ? "" : "s"} (about ${megabytes} MB), ${report.projects.length} stopped release project${report.projects.length === 1 ? "" : "s"}, ${report.buildDirs.length} build director${report.buildDirs.length === 1 ? "y" : "ies"}`;
  return report.registryTags.length === 0 ? local : `${local}; ${describeRegistryTags(report.registryTags)}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The registry's part of a prune, in one clause. */
export function describeRegistryTags(tags: readonly RegistryTagOutcome[]): string {
  const count = (outcome: RegistryTagOutcome["outcome"]): number => tags.filter((t) => t.outcome === outcome).length;
  if (count("planned") > 0) return `would delete ${plural(count("planned"), "pushed tag")} from the registry`;
  const parts = [`deleted ${plural(count("deleted") + count("absent"), "pushed tag")} from the registry`];
  if (count("shared") > 0) parts.push(`left ${count("shared")} whose image a kept release also names`);
  if (count("not-allowed") > 0) parts.push(`left ${count("not-allowed")}: the registry does not allow deletion (enable it, for Distribution storage.delete.enabled, or delete them with its own tools)`);
  const failed = tags.filter((t) => t.outcome === "failed");
  if (failed.length > 0) parts.push(`could not delete ${failed.length} (${failed[0]?.detail ?? "no answer"}): prune again to retry`);
  return parts.join(", ");
}
