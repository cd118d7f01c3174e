/**
 * The build sees only the commit: a deploy builds from the commit's tree exported from git, so a
 * build context, Dockerfile or additional context, or an env file, that lies outside the
 * repository (by `..`, an absolute path, or a symlink pointing out) would make the build or the
 * containers read host files no commit holds. Those are input errors, with file and line.
 */
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { LocatedPath, PathKey } from "../config/compose-paths.js";
import type { ScannedSource } from "../config/compose-source.js";
import type { ComposeModel } from "../plan/compose-model.js";
import type { Problem } from "./problem.js";

/** The tree a deploy exports: the git repository holding `dir` (the nearest `.git` above), else `dir`. */
export function treeRoot(dir: string): string {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, ".git"))) return current;
    if (dirname(current) === current) return resolve(dir);
  }
}

/** A URL, a git remote, an image or another stage: nothing on this host's disk. */
function isRemote(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("git@");
}

/** Where the path really is, symlinks resolved; for a path that does not exist, its nearest existing parent's. */
function realLocation(path: string): string {
  const missing: string[] = [];
  let current = resolve(path);
  while (!existsSync(current) && dirname(current) !== current) {
    missing.unshift(basename(current));
    current = dirname(current);
  }
  return join(realpathSync(current), ...missing);
}

const within = (path: string, root: string): boolean => path === root || path.startsWith(`${root}${sep}`);

interface Candidate {
  readonly service: string;
  readonly key: PathKey;
  readonly name?: string;
  /** Absolute, as compose resolved it or as Slipway resolves it against the project directory. */
  readonly path: string;
  /** Where it was read from, when it was read from the files. */
  readonly located?: LocatedPath;
}

function modelCandidates(model: ComposeModel): Candidate[] {
  return Object.entries(model.services).flatMap(([service, { build }]): Candidate[] => {
    if (!build || typeof build.context !== "string" || isRemote(build.context)) return [];
    const context = build.context;
    const found: Candidate[] = [{ service, key: "build.context", path: context }];
    const dockerfile = typeof build.dockerfile === "string" ? resolve(context, build.dockerfile) : undefined;
    // A Dockerfile inside its context is the context's problem, if any.
    if (dockerfile && !within(dockerfile, resolve(context))) found.push({ service, key: "build.dockerfile", path: dockerfile });
    const extra = (build.additional_contexts ?? {}) as Record<string, unknown>;
    for (const [name, path] of Object.entries(extra)) {
      if (typeof path === "string" && !isRemote(path)) found.push({ service, key: "build.additional_contexts", name, path: resolve(context, path) });
    }
    return found;
  });
}

/** env_file is not in compose's model (it merges the files into `environment`): read from the files, where written without variables. */
function envFileCandidates(sources: readonly ScannedSource[], dir: string): Candidate[] {
  return sources.flatMap((s) => s.paths.filter((p) => p.key === "env_file" && !p.value.includes("$")).map((p) => ({ service: p.service, key: p.key, path: resolve(dir, p.value), located: p })));
}

/** The last file that sets it wins in compose's merge, so that is where to fix it. */
function positionOf(sources: readonly ScannedSource[], candidate: Candidate): LocatedPath | undefined {
  if (candidate.located) return candidate.located;
  const matches = sources.flatMap((s) => s.paths).filter((p) => p.service === candidate.service && p.key === candidate.key && p.name === candidate.name);
  return matches.at(-1);
}

export interface TreeCheck {
  readonly model: ComposeModel;
  readonly sources: readonly ScannedSource[];
  /** The project directory. */
  readonly dir: string;
  /** The tree a deploy exports (see `treeRoot`). */
  readonly root: string;
}

const byPlace = (a: Problem, b: Problem): number => {
  const [pa, pb] = [a.position, b.position];
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  return pa.file.localeCompare(pb.file) || pa.line - pb.line || pa.column - pb.column;
};

export function pathsOutsideTree(check: TreeCheck): Problem[] {
  const root = realLocation(check.root);
  const problems: Problem[] = [];
  for (const candidate of [...modelCandidates(check.model), ...envFileCandidates(check.sources, check.dir)]) {
    const real = realLocation(candidate.path);
    if (within(real, root)) continue;
    const located = positionOf(check.sources, candidate);
    const how = within(resolve(candidate.path), resolve(check.root)) ? ` through a symlink, to ${real}` : ` (${relative(check.root, candidate.path)})`;
    const what = `services.${candidate.service}.${candidate.key}${candidate.name !== undefined ? `.${candidate.name}` : ""}`;
    problems.push({
      code: "E_NOT_DEPLOYABLE",
      ...(located ? { position: located.position } : {}),
      message: `${what}: ${located?.value ?? candidate.path} lies outside the repository ${check.root}${how}. A deploy builds from the commit's files only: move what it needs into the repository`,
    });
  }
  return problems.sort(byPlace);
}
