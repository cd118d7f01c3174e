/**
 * `slipway rollback [vN]`: a new release that runs an earlier release's build and configuration
 * snapshot: no rebuild, the release task skipped unless --with-release, then start, verify,
 * switch and retire exactly as a deploy, under the same lock.
 */
import type { Engine } from "../../adapters/docker-engine.js";
import { SlipwayError } from "../../core/errors.js";
import { LABEL } from "../../plan/naming.js";
import { deploy, runsAsOf } from "../../pipeline/deploy.js";
import { openSnapshot, plainSnapshotOf, type PlainSnapshot } from "../../pipeline/release-snapshot.js";
import { exportBuildTree } from "../../pipeline/steps/source.js";
import { problemsError } from "../../project/problem.js";
import type { Classification } from "../../plan/classify.js";
import { rebaseBindMounts } from "../../plan/compose-model.js";
import { releaseImages } from "../../plan/plan-release.js";
import { loadAndResolve, secretValues, type ResolvedProject } from "../../project/resolve-project.js";
import { join, relative, resolve } from "node:path";
import { masterSealer } from "../../secrets/master-key.js";
import type { ReleaseWithDeployment } from "../../store/store.js";
import type { CommandContext } from "../context.js";
import { actorOf, eventsFor } from "./deploy.js";
import { openEnvironment, type OpenEnvironment } from "./environment.js";
import { projectOptions, type ProjectFlags } from "./load.js";

export interface RollbackFlags extends ProjectFlags {
  readonly target?: string;
  readonly withRelease?: boolean;
  readonly currentVars?: boolean;
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** The release to go back to: the one named, else the last one before the live one that was live. */
export function chooseTarget(releases: readonly ReleaseWithDeployment[], requested: string | undefined, environment: string): ReleaseWithDeployment {
  const live = releases.find((r) => r.status === "live");
  if (!live) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${environment}, so there is nothing to roll back`);
  if (requested === undefined) {
    const previous = releases.find((r) => r.number < live.number && (r.status === "superseded" || r.status === "retired"));
    if (!previous) throw new SlipwayError("E_NOT_FOUND", `v${live.number} is the first release of ${environment} that went live: there is no earlier one to roll back to`);
    return previous;
  }
  const number = /^v?(\d+)$/.exec(requested)?.[1];
  const target = number === undefined ? undefined : releases.find((r) => r.number === Number(number));
  if (!target) throw new SlipwayError("E_NOT_FOUND", `${environment} has no release ${requested}: see slipway releases`);
  if (target.id === live.id) throw new SlipwayError("E_USAGE", `v${target.number} is already live`);
  if (target.status === "failed" || target.status === "pending") throw new SlipwayError("E_NOT_FOUND", `v${target.number} never went live (its deployment ${target.status === "failed" ? "failed" : "did not finish"}): pick another with slipway releases`);
  return target;
}

/** The images a release of this build would run that the engine no longer has. */
export async function missingImages(engine: Engine, project: string, classification: Classification, tag: string): Promise<string[]> {
  const images = [...new Set(Object.values(releaseImages(classification, project, tag)))];
  const present = await Promise.all(images.map((image) => engine.image(image)));
  return images.filter((_, i) => present[i] === undefined);
}

/**
 * The release's own compose files (its commit's tree, exported as for a build) read again with
 * today's variables: what `--current-vars` runs. Its `.env` is the working directory's.
 */
async function withCurrentVariables(ctx: CommandContext, env: OpenEnvironment, plain: PlainSnapshot, flags: ProjectFlags): Promise<ResolvedProject> {
  const tree = env.runtime.deps.paths.build(env.project.name, plain.tag);
  await exportBuildTree(ctx.git, env.project.dir, plain.commit, tree);
  const prefix = (await ctx.git.prefix(env.project.dir)).replace(/\/$/, "");
  const { loaded, resolved } = await loadAndResolve(
      { dir: join(tree, prefix), dotenvDir: env.project.dir, name: env.project.name, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags), environment: env.project.environment.name, tag: plain.tag },
      ctx,
    );
  if (!resolved) throw problemsError(loaded.problems);
  ctx.redactor.add(secretValues(resolved));
  // The project stays where it is, and mounts its own files; only its model comes from the
  // release's commit.
  const model = rebaseBindMounts(resolved.model, tree, resolve(env.project.dir, relative(join(tree, prefix), tree)));
  return { ...resolved, model, project: { ...resolved.project, dir: env.project.dir } };
}

export async function runRollback(ctx: CommandContext, flags: RollbackFlags): Promise<number> {
  // Asked again at preflight: asking now lets compose answer while the project loads.
  ctx.compose.version().catch(() => undefined);
  await using env = await openEnvironment(ctx, flags);
  const deps = env.runtime.deps;
  const releases = await deps.store.releases(env.environmentId);
  const target = chooseTarget(releases, flags.target, env.project.environment.name);
  const plain = plainSnapshotOf(target);
  if (!plain) throw new SlipwayError("E_NOT_FOUND", `v${target.number} keeps no configuration snapshot, so it cannot be started again: deploy its commit with slipway deploy --ref ${target.commit}`);
  // Fast path: the kept previous release starts again (or thaws, or, kept running, is switched
  // to) rather than being created anew; not with today's variables, which its containers do not
  // have. The target may be the kept release or the one it runs as (v5 ran as v1: "rollback v1").
  const keptAs = releases.some((r) => r.status === "superseded" && runsAsOf(r) === runsAsOf(target));
  const kept = keptAs && !flags.currentVars ? runsAsOf(target) : undefined;
  const keptContainers = kept
    ? deps.engine.containers({ [LABEL.project]: env.project.name, [LABEL.environment]: env.project.environment.name, [LABEL.release]: kept, [LABEL.role]: "app" })
    : Promise.resolve([]);
  keptContainers.catch(() => undefined);
  const gone = await missingImages(deps.engine, env.project.name, plain.classification, plain.tag);
  if (gone.length > 0) {
    throw new SlipwayError("E_NOT_FOUND", `cannot roll back to v${target.number}: its images are gone (pruned): ${gone.join(", ")}. Deploy its commit again instead: slipway deploy --ref ${plain.commit}`);
  }
  // Its model (and with it the variables it ran with) is sealed: opening it needs the master key.
  const { snapshot, secrets } = openSnapshot(target, () => masterSealer(ctx.home, ctx.io.env, { create: false }));
  ctx.redactor.add(secrets);
  const resolved: ResolvedProject = flags.currentVars
    ? await withCurrentVariables(ctx, env, plain, flags)
    : { project: env.project, model: snapshot.model, classification: snapshot.classification, lint: { errors: [], warnings: [] } };
  const resume = kept && (await keptContainers).length > 0 ? kept : undefined;
  const events = eventsFor(ctx, flags);
  try {
    const of = `v${target.number}`;
    const variables = flags.currentVars ? "with the current variables" : "with the variables it ran with";
    events.message(`rolling back ${env.project.environment.name} to ${of} (${snapshot.commit.slice(0, 12)}), ${variables}${flags.withRelease ? ", with its release task" : ": the database is not rolled back"}`);
    const outcome = await deploy(
      { ...deps, events },
      { resolved, ref: of, commit: snapshot.commit, tag: snapshot.tag, cache: true, actor: actorOf(ctx.io.env), kind: "rollback", build: { id: target.buildId, of }, releaseTask: flags.withRelease ?? false,
        ...(resume ? { resume } : {}),
        secrets: ctx.redactor.known(),
        variablesVersion: flags.currentVars ? resolved.project.variablesVersion : (target.variables?.version ?? null),
      },
      { wait: flags.wait ?? true, onWait: (holder) => events.message(`waiting: the environment is locked by ${holder}`) },
    );
    events.message(`${outcome.release} (rollback to ${of}) is live${outcome.urls.length ? ` at ${outcome.urls.join(" ")}` : ""}`);
    return 0;
  } finally {
    events.stop?.();
  }
}
