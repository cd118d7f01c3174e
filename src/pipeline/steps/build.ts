/**
 * build: one image per distinct build, tagged <project>/<service>:<commit12>, labelled with
 * OCI and Slipway labels; reused without building when images for the same build key exist.
 */
import { createHash } from "node:crypto";
import { SlipwayError } from "../../core/errors.js";
import { LABEL } from "../../plan/naming.js";
import { abortable, type BuildRun } from "../deploy-run.js";
import type { LogBuffer } from "../log-buffer.js";
import { step } from "../step.js";
import { pushImages, pushTarget } from "./push.js";
import { source, writeBuildFile } from "./source.js";

type Json = Record<string, unknown>;
export const BUILD_KEY_LABEL = "slipway.build-key";

/**
 * Same commit, same build settings (contexts relative to the tree) → same key. Image names and
 * labels are left out, so that a mirror project's build of a commit has the original's key.
 */
export function buildKey(commit: string, content: Json, tree: string): string {
  const services = Object.entries((content.services ?? {}) as Record<string, Json>).map(([name, service]) => {
    const { labels: _labels, ...build } = (service.build ?? {}) as Json;
    return [name, build];
  });
  const portable = JSON.stringify(services).replaceAll(tree, "<tree>");
  return createHash("sha256").update(commit).update("\0").update(portable).digest("hex").slice(0, 32);
}

/** A mirror project takes the original's images of the same build key: tagged, not rebuilt. */
async function fromMirror(run: BuildRun, key: string, images: readonly string[]): Promise<boolean> {
  const original = run.request.resolved.project.config.mirror_of;
  if (!original) return false;
  const { store, engine } = run.deps;
  const originalId = await store.projectId(original);
  const build = originalId === undefined ? undefined : await store.findBuild(originalId, key);
  if (!build) return false;
  const ids: Record<string, { image: string; id: string }> = {};
  for (const [service, image] of Object.entries(run.plan.images)) {
    const owner = run.request.resolved.classification.services.find((s) => s.name === service)?.buildOf ?? service;
    const source = build.images[service] ?? build.images[owner];
    // The original's image under its own name now: its latest build of this key.
    const info = source ? await engine.image(source.image) : undefined;
    if (!info || info.labels[BUILD_KEY_LABEL] !== key) return false;
    ids[service] = { image, id: info.id };
  }
  for (const { image, id } of Object.values(ids)) await engine.tagImage(id, image);
  const row = await store.saveBuild({ projectId: run.projectId, commit: run.request.commit, tag: run.request.tag, buildKey: key, images: ids });
  run.buildId = row.id;
  run.log("build", "info", `mirror of ${original}: re-using its build ${key.slice(0, 12)} (${images.join(", ")})`);
  return true;
}

function labelled(content: Json, labels: Record<string, string>): Json {
  const services = (content.services ?? {}) as Record<string, Json>;
  return {
    ...content,
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => {
        const build = (service.build ?? {}) as Json;
        return [name, { ...service, build: { ...build, labels: { ...(build.labels as Json | undefined), ...labels } } }];
      }),
    ),
  };
}

/** A slot under the server's build limit (waiting for one is logged); no limit, no wait. */
async function buildSlot(run: BuildRun): Promise<Disposable | undefined> {
  const slots = run.deps.buildSlots;
  if (!slots) return undefined;
  if (slots.busy >= slots.limit) run.log("build", "info", `waiting for a build slot: ${slots.limit} build${slots.limit === 1 ? "" : "s"} at a time on this host`);
  return await slots.acquire(run.signal);
}

export async function build(run: BuildRun, content: Json): Promise<"built" | "reused"> {
  const { engine, store, compose } = run.deps;
  const tree = run.buildDir ?? "";
  const key = buildKey(run.request.snapshot ?? run.request.commit, content, tree);
  const images = [...new Set(Object.values(run.plan.images))];
  const mode = run.request.buildMode ?? "auto";
  const existing = await store.findBuild(run.projectId, key);
  const present = await Promise.all(images.map((image) => engine.image(image)));
  const reusable = existing !== undefined && present.every((info) => info?.labels[BUILD_KEY_LABEL] === key);
  if (reusable && mode !== "force") {
    run.buildId = existing.id;
    run.log("build", "info", `reusing the images of build ${key.slice(0, 12)}: ${images.join(", ")}`);
    return "reused";
  }
  if (mode !== "force" && (await fromMirror(run, key, images))) return "reused";
  if (mode === "reuse") {
    throw new SlipwayError("E_NOT_FOUND", `no build of ${run.request.commit.slice(0, 12)} with these build settings exists`, { hint: { action: "build-elsewhere-first" } });
  }
  const source = (await run.deps.git.remoteUrl(run.request.resolved.project.dir)) ?? run.request.resolved.project.dir;
  const file = writeBuildFile(
    run,
    labelled(content, {
      "org.opencontainers.image.revision": run.request.commit,
      "org.opencontainers.image.source": source,
      "org.opencontainers.image.created": new Date(run.deps.clock.now()).toISOString(),
      [BUILD_KEY_LABEL]: key,
      [LABEL.managed]: "true",
    }),
  );
  const project = { projectName: run.plan.files.build.projectName, files: [file], projectDirectory: tree };
  const args = ["build", ...(run.request.cache && mode !== "force" ? [] : ["--no-cache"])];
  using _slot = await buildSlot(run);
  const result = await compose.exec(project, args, { onLine: (line, stream) => run.log("build", stream, line), ...abortable(run) });
  if (result.exitCode !== 0) {
    const last = result.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new SlipwayError("E_BUILD_FAILED", `the build failed (docker compose build exited ${result.exitCode}): ${last}`);
  }
  const ids: Record<string, { image: string; id: string }> = {};
  for (const [service, image] of Object.entries(run.plan.images)) {
    const info = await engine.image(image);
    if (!info) throw new SlipwayError("E_BUILD_FAILED", `the build finished but image ${image} is missing`);
    ids[service] = { image, id: info.id };
  }
  // Another environment may have built the same key meanwhile: then this build's images are
  // the ones its tags name now, and the record says so.
  const row = await store.saveBuild({ projectId: run.projectId, commit: run.request.commit, tag: run.request.tag, buildKey: key, images: ids });
  run.buildId = row.id;
  return "built";
}

/** The source and build steps, recorded: what a deploy builds, and all that `slipway build` does. */
export async function sourceAndBuild(run: BuildRun, logs: LogBuffer): Promise<"built" | "reused"> {
  const buildFile = await step(run, logs, "source", () => source(run), () => run.request.commit.slice(0, 12));
  const registry = pushTarget(run);
  const buildAndPush = async (): Promise<"built" | "reused"> => {
    const how = await build(run, buildFile);
    if (registry !== undefined) run.pushed = await pushImages(run, registry);
    return how;
  };
  const pushedTo = registry === undefined ? "" : `, pushed to ${registry}`;
  return step(run, logs, "build", buildAndPush, (how) => `${how === "reused" ? "image reused" : "built"}${pushedTo}`);
}
