/**
 * source: exactly the commit's tree, exported to a clean build directory (no untracked or
 * ignored file reaches a build). Build contexts of the planned build file are moved onto it.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Git } from "../../adapters/git.js";
import type { BuildRun } from "../deploy-run.js";

type Json = Record<string, unknown>;

/** The build file with every context inside the repository moved into the exported tree. */
export function rebaseBuildFile(content: Json, repoRoot: string, tree: string): Json {
  const services = (content.services ?? {}) as Record<string, Json>;
  const rebase = (path: unknown): unknown =>
    typeof path === "string" && (path === repoRoot || path.startsWith(`${repoRoot}/`)) ? join(tree, path.slice(repoRoot.length)) : path;
  return {
    ...content,
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => {
        const build = (service.build ?? {}) as Json;
        return [name, { ...service, build: { ...build, context: rebase(build.context) } }];
      }),
    ),
  };
}

/** Exports a commit's tree once (a marker says it is complete); true when it exported it now. */
export async function exportBuildTree(git: Git, dir: string, commit: string, tree: string): Promise<boolean> {
  const marker = join(tree, ".slipway-exported");
  if (existsSync(marker)) return false;
  await git.exportTree(dir, commit, tree);
  writeFileSync(marker, `${commit}\n`);
  return true;
}

export async function source(run: BuildRun): Promise<Json> {
  const { git, paths } = run.deps;
  const { resolved, commit, snapshot, tag } = run.request;
  const dir = resolved.project.dir;
  const exported = snapshot ?? commit;
  run.log("source", "info", `${run.request.ref} is ${commit}${snapshot ? ` with uncommitted changes (snapshot ${snapshot.slice(0, 12)})` : ""}`);
  const prefix = await git.prefix(dir);
  const repoRoot = prefix ? dir.slice(0, dir.length - prefix.replace(/\/$/, "").length - 1) : dir;
  const tree = paths.build(run.plan.project, tag);
  const fresh = await exportBuildTree(git, dir, exported, tree);
  run.log("source", "info", fresh ? `exported ${exported.slice(0, 12)} to ${tree}` : `tree already exported in ${tree}`);
  run.buildDir = tree;
  return rebaseBuildFile(run.plan.files.build.content, repoRoot, tree);
}

export function writeBuildFile(run: BuildRun, content: Json): string {
  const file = join(run.filesDir, "build.yml");
  writeFileSync(file, stringify(content, { lineWidth: 0, aliasDuplicateObjects: false }));
  return file;
}
