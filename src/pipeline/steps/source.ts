/**
 * source: exactly the commit's tree, exported to a clean build directory (no untracked or
 * ignored file reaches a build). Build contexts of the planned build file are moved onto it.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { toYaml } from "../../core/yaml-text.js";
import type { Git } from "../../adapters/git.js";
import { PRIVATE_DIR, PRIVATE_FILE, privateDirsUnder } from "../../core/private-files.js";
import type { BuildRun } from "../deploy-run.js";

type Json = Record<string, unknown>;

/**
 * The build file with every context, additional context and absolute Dockerfile path inside the
 * repository moved into the exported tree (paths outside it are refused before a deploy starts).
 */
export function rebaseBuildFile(content: Json, repoRoot: string, tree: string): Json {
  const services = (content.services ?? {}) as Record<string, Json>;
  const rebase = (path: unknown): unknown =>
    typeof path === "string" && (path === repoRoot || path.startsWith(`${repoRoot}/`)) ? join(tree, path.slice(repoRoot.length)) : path;
  return {
    ...content,
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => {
        // Key by key, in order: the build key is computed from this object's JSON.
        const build = Object.fromEntries(
          Object.entries((service.build ?? {}) as Json).map(([key, value]) => {
            if (key === "context" || key === "dockerfile") return [key, rebase(value)];
            if (key === "additional_contexts" && value && typeof value === "object") return [key, Object.fromEntries(Object.entries(value).map(([k, path]) => [k, rebase(path)]))];
            return [key, value];
          }),
        );
        return [name, { ...service, build }];
      }),
    ),
  };
}

/**
 * Exports a commit's tree once (a marker says it is complete); true when it exported it now.
 * Two deployments of one commit may export at once (two environments, say): each exports into a
 * directory of its own beside the tree and renames it into place, so a build only ever sees a
 * whole tree, and the one that comes second keeps the first one's.
 * The directories above it are the owner's alone (0700); inside, files keep the modes the commit
 * gives them, since a build copies those modes into the image.
 */
export async function exportBuildTree(git: Git, dir: string, commit: string, tree: string, home?: string): Promise<boolean> {
  if (home !== undefined) privateDirsUnder(home, dirname(tree));
  const marker = join(tree, ".slipway-exported");
  if (existsSync(marker)) return false;
  const scratch = `${tree}.export-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await git.exportTree(dir, commit, scratch);
    chmodSync(scratch, PRIVATE_DIR);
    writeFileSync(join(scratch, ".slipway-exported"), `${commit}\n`, { mode: PRIVATE_FILE });
    // A tree without its marker is what an export interrupted before this rule left behind.
    if (existsSync(tree) && !existsSync(marker)) rmSync(tree, { recursive: true, force: true });
    try {
      renameSync(scratch, tree);
      return true;
    } catch (error) {
      if (existsSync(marker)) return false;
      throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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
  const fresh = await exportBuildTree(git, dir, exported, tree, paths.home);
  run.log("source", "info", fresh ? `exported ${exported.slice(0, 12)} to ${tree}` : `tree already exported in ${tree}`);
  run.buildDir = tree;
  return rebaseBuildFile(run.plan.files.build.content, repoRoot, tree);
}

export function writeBuildFile(run: BuildRun, content: Json): string {
  const file = join(run.filesDir, "build.yml");
  writeFileSync(file, toYaml(content), { mode: PRIVATE_FILE });
  return file;
}
