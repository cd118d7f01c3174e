/**
 * The server's projects: a checkout on this host registered by name and path (its slipway.yml,
 * if any, must agree on the name), with the environments it declares, and its server settings.
 */
import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { loadProject } from "../project/load-project.js";
import { problemsError } from "../project/problem.js";
import { withoutUserInfo } from "../adapters/git-mirror.js";
import type { ProjectGit, ProjectListRow, ProjectSettings } from "../store/server-types.js";
import type { App } from "./app.js";
import { canSee, notFound, requireProject, type Principal } from "./access.js";
import { canRollBackTo, type Rollbackable } from "./releases.js";
import { status, type StatusReport } from "./status.js";

export type { ProjectSettings } from "../store/server-types.js";

export interface ProjectView {
  readonly name: string;
  readonly path: string;
  readonly settings: ProjectSettings;
  readonly environments: readonly string[];
  /** A project deployed from a git URL: where from (the URL without its user info). */
  readonly git?: ProjectGit;
}

const view = (row: ProjectListRow): ProjectView => ({
  name: row.name,
  path: row.dir,
  settings: row.settings,
  environments: row.environments,
  ...(row.git ? { git: { ...row.git, url: withoutUserInfo(row.git.url) } } : {}),
});

export interface RegisterRequest {
  readonly name: string;
  readonly path: string;
  readonly settings?: ProjectSettings;
  readonly actor: string;
}

/** Registers (or moves) a project: loads its checkout to learn its environments. */
export async function registerProject(app: App, request: RegisterRequest): Promise<ProjectView> {
  if (!isAbsolute(request.path) || !existsSync(request.path)) throw new SlipwayError("E_FILE_MISSING", `${request.path}: give the absolute path of a checkout on this host`);
  const loaded = await loadProject({ dir: request.path, name: request.name, processEnv: app.env }, { git: app.git });
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (!loaded.project || blocking.length > 0) throw problemsError(blocking);
  const { project } = loaded;
  if (project.name !== request.name) throw new SlipwayError("E_CONFIG_INVALID", `the slipway.yml at ${request.path} names the project ${project.name}, not ${request.name}`);
  const { store } = await app.deps();
  const projectId = await store.ensureProject(request.name, request.path);
  const declared = new Set([project.environment.name, ...Object.keys(project.config.environments ?? {})]);
  for (const name of declared) await store.ensureEnvironment(projectId, name);
  await store.setProjectSettings(projectId, request.settings ?? {});
  await store.audit({ actor: request.actor, action: "project.register", project: request.name, detail: { path: request.path, settings: request.settings ?? {} } });
  lists.delete(app);
  return view((await store.project(request.name)) as ProjectListRow);
}

/**
 * The project list read in the last second, per application: it is what a panel polls, and every
 * project is a row to read. Registering through this application refreshes it at once; a
 * project or environment another process adds (a CLI deploy, a second server) shows within a
 * second.
 */
const LIST_FOR_MS = 1000;
const lists = new WeakMap<App, { rows: Promise<ProjectListRow[]>; at: number }>();

async function projectRows(app: App): Promise<ProjectListRow[]> {
  const kept = lists.get(app);
  if (kept && app.clock.now() - kept.at < LIST_FOR_MS) return kept.rows;
  const rows = (await app.deps()).store.projects();
  lists.set(app, { rows, at: app.clock.now() });
  // A failed read is not kept.
  rows.catch(() => lists.delete(app));
  return rows;
}

/** The project rows the principal may see (from the list kept for a second). */
export async function visibleProjectRows(app: App, principal: Principal): Promise<ProjectListRow[]> {
  return (await projectRows(app)).filter((row) => canSee(principal, row.name));
}

export async function listProjects(app: App, principal: Principal): Promise<ProjectView[]> {
  return (await visibleProjectRows(app, principal)).map(view);
}

export async function projectOf(app: App, principal: Principal, name: string): Promise<ProjectView & { id: number }> {
  requireProject(principal, name);
  const row = await (await app.deps()).store.project(name);
  if (!row) throw notFound(`no project named ${name}`);
  return { ...view(row), id: row.id };
}

/** A registered project's environment, never created by asking for it. */
export async function environmentOf(app: App, principal: Principal, request: { project: string; environment: string }): Promise<{ project: ProjectView; environmentId: number }> {
  const project = await projectOf(app, principal, request.project);
  const environmentId = (await (await app.deps()).store.environments(project.id)).find((e) => e.name === request.environment)?.id;
  if (environmentId === undefined) throw notFound(`${request.project} has no environment ${request.environment}`);
  return { project, environmentId };
}

/** The environment's live release, containers and health, route and drift: `slipway status`. */
export async function environmentStatus(app: App, principal: Principal, request: { project: string; environment: string }): Promise<StatusReport> {
  const { project } = await environmentOf(app, principal, request);
  return status(app, { dir: project.path, environment: request.environment, name: project.name });
}

export interface ReleaseView {
  readonly number: number;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly commit: string;
  readonly tag: string;
  readonly images: Readonly<Record<string, { image: string; id: string }>>;
  readonly createdAt: Date;
  readonly variablesVersion: number | null;
  /** Its containers got other variables than those of the release before it. */
  readonly variablesChanged: boolean;
  readonly deployment?: { id: number; actor: string; status: string };
  /** Whether a rollback to it can run now (only when asked for). */
  readonly rollbackable?: Rollbackable;
}

/** Newest first: what each release ran, and the deployment that made it. */
export async function environmentReleases(app: App, principal: Principal, request: { project: string; environment: string; rollbackable?: boolean; limit?: number }): Promise<ReleaseView[]> {
  const { environmentId } = await environmentOf(app, principal, request);
  // One more than asked: the last one shown needs the release before it for variablesChanged.
  const read = await (await app.deps()).store.releases(environmentId, request.limit === undefined ? {} : { limit: request.limit + 1 });
  const rows = request.limit === undefined ? read : read.slice(0, request.limit);
  const rollbackable = request.rollbackable ? await Promise.all(rows.map((r) => canRollBackTo(app.engine, request.project, r))) : undefined;
  return rows.map((r, i) => ({
    number: r.number,
    name: `v${r.number}`,
    kind: r.kind,
    status: r.status,
    commit: r.commit,
    tag: r.tag,
    images: r.images,
    createdAt: r.createdAt,
    variablesVersion: r.variables?.version ?? null,
    variablesChanged: read[i + 1] !== undefined && r.variables?.digest !== read[i + 1]?.variables?.digest,
    ...(rollbackable?.[i] ? { rollbackable: rollbackable[i] } : {}),
    ...(r.deployment ? { deployment: { id: r.deployment.id, actor: r.deployment.actor, status: r.deployment.status } } : {}),
  }));
}
