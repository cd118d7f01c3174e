/**
 * Rollback: a new release that runs an earlier release's build and configuration snapshot: no
 * rebuild, the release task skipped unless asked, then start, verify, switch and retire exactly
 * as a deploy, under the same lock.
 */
import { join, relative, resolve } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { LABEL } from "../plan/naming.js";
import { rebaseBindMounts } from "../plan/compose-model.js";
import type { DeployOutcome } from "../pipeline/deploy.js";
import { openSnapshot, plainSnapshotOf, runsAsOf, type PlainSnapshot } from "../pipeline/release-snapshot.js";
import { exportBuildTree } from "../pipeline/steps/source.js";
import { problemsError } from "../project/problem.js";
import { loadAndResolve, secretValues, type ResolvedProject } from "../project/resolve-project.js";
import type { ReleaseWithDeployment } from "../store/store.js";
import type { App } from "./app.js";
import { atUrls, drive, type DriveOptions, type Prepared } from "./drive.js";
import { environmentDriver } from "../config/environment-driver.js";
import { openEnvironment, projectOptions, type OpenEnvironment, type ProjectRequest } from "./project.js";
import { chooseTarget, missingImages } from "./rollback-target.js";

export interface RollbackRequest extends ProjectRequest {
  /** The release to return to, such as "v5" (default: the one before the live one). */
  readonly target?: string;
  /** Also run that release's release task (skipped by default: the database is not rolled back). */
  readonly withRelease?: boolean;
  /** Run it with the environment's current variables instead of those it ran with. */
  readonly currentVars?: boolean;
  readonly actor: string;
}

/**
 * The release's own compose files (its commit's tree, exported as for a build) read again with
 * today's variables: what `currentVars` runs. Its `.env` is the working directory's.
 */
async function withCurrentVariables(app: App, env: OpenEnvironment, plain: PlainSnapshot, request: RollbackRequest): Promise<ResolvedProject> {
  const tree = app.paths.build(env.project.name, plain.tag);
  await exportBuildTree(app.git, env.project.dir, plain.commit, tree, app.paths.home);
  const prefix = (await app.git.prefix(env.project.dir)).replace(/\/$/, "");
  const { loaded, resolved } = await loadAndResolve(
    { dir: join(tree, prefix), dotenvDir: env.project.dir, name: env.project.name, processEnv: app.env, variableSources: app.variableSources, ...projectOptions(request), environment: env.project.environment.name, tag: plain.tag },
    app,
  );
  if (!resolved) throw problemsError(loaded.problems);
  app.redactor.add(secretValues(resolved));
  // The project stays where it is, and mounts its own files; only its model comes from the
  // release's commit.
  const model = rebaseBindMounts(resolved.model, tree, resolve(env.project.dir, relative(join(tree, prefix), tree)));
  return { ...resolved, model, project: { ...resolved.project, dir: env.project.dir } };
}

/**
 * Fast path: the kept previous release starts again (or thaws, or, kept running, is switched to)
 * rather than being created anew; not with today's variables, which its containers do not have.
 * The target may be the kept release or the one it runs as (v5 ran as v1: "rollback v1").
 */
async function keptRelease(app: App, env: OpenEnvironment, releases: readonly ReleaseWithDeployment[], target: ReleaseWithDeployment, currentVars: boolean): Promise<string | undefined> {
  const keptAs = releases.some((r) => r.status === "superseded" && runsAsOf(r) === runsAsOf(target));
  if (!keptAs || currentVars) return undefined;
  const kept = runsAsOf(target);
  const labels = { [LABEL.project]: env.project.name, [LABEL.environment]: env.project.environment.name, [LABEL.release]: kept, [LABEL.role]: "app" };
  // On a swarm the kept release is a stack scaled to zero: its services, no containers.
  const swarm = environmentDriver(env.project.environment.settings) === "swarm";
  const found = swarm ? await app.stacks.services(labels) : await app.engine.containers(labels);
  return found.length > 0 ? kept : undefined;
}

async function prepareRollback(app: App, request: RollbackRequest): Promise<Prepared> {
  // Asked again at preflight: asking now lets compose answer while the project loads.
  app.compose.version().catch(() => undefined);
  const env = await openEnvironment(app, request);
  const { store } = await app.deps();
  const releases = await store.releases(env.environmentId);
  const target = chooseTarget(releases, request.target, env.project.environment.name);
  const plain = plainSnapshotOf(target);
  if (!plain) throw new SlipwayError("E_NOT_FOUND", `v${target.number} keeps no configuration snapshot, so it cannot be started again: deploy its commit`, { hint: { action: "deploy-ref", ref: target.commit } });
  const resuming = keptRelease(app, env, releases, target, request.currentVars ?? false);
  resuming.catch(() => undefined);
  const gone = await missingImages(app.engine, env.project.name, plain.classification, plain.tag);
  if (gone.length > 0) {
    throw new SlipwayError("E_NOT_FOUND", `cannot roll back to v${target.number}: its images are gone (pruned): ${gone.join(", ")}. Deploy its commit again instead`, { hint: { action: "deploy-ref", ref: plain.commit } });
  }
  // Its model (and with it the variables it ran with) is sealed: opening it needs the master key.
  const { snapshot, secrets } = openSnapshot(target, () => app.sealer({ create: false }));
  app.redactor.add(secrets);
  const resolved: ResolvedProject = request.currentVars
    ? await withCurrentVariables(app, env, plain, request)
    : { project: env.project, model: snapshot.model, classification: snapshot.classification, lint: { errors: [], warnings: [] } };
  const resume = await resuming;
  const of = `v${target.number}`;
  const variables = request.currentVars ? "with the current variables" : "with the variables it ran with";
  return {
    request: {
      resolved, ref: of, commit: snapshot.commit, tag: snapshot.tag, cache: true, actor: request.actor, kind: "rollback", build: { id: target.buildId, of }, releaseTask: request.withRelease ?? false,
      ...(resume ? { resume } : {}),
      secrets: app.redactor.known(),
      variablesVersion: request.currentVars ? resolved.project.variablesVersion : (target.variables?.version ?? null),
    },
    messages: [`rolling back ${env.project.environment.name} to ${of} (${snapshot.commit.slice(0, 12)}), ${variables}${request.withRelease ? ", with its release task" : ": the database is not rolled back"}`],
    live: (outcome) => `${outcome.release} (rollback to ${of}) is live${atUrls(outcome)}`,
  };
}

export function rollback(app: App, request: RollbackRequest, options: DriveOptions): Promise<DeployOutcome> {
  return drive(app, () => prepareRollback(app, request), options);
}
