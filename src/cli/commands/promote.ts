/**
 * `slipway promote <from-env> <to-env>`: deploys to <to-env> the build <from-env> runs now (the
 * same images, never a rebuild), with <to-env>'s own variables, accessories, routes and
 * release task.
 */
import { SlipwayError } from "../../core/errors.js";
import { deploy } from "../../pipeline/deploy.js";
import { problemsError } from "../../project/problem.js";
import { loadAndResolve, secretValues } from "../../project/resolve-project.js";
import type { CommandContext } from "../context.js";
import { openRuntime } from "../runtime.js";
import { actorOf, eventsFor } from "./deploy.js";
import { missingImages } from "./rollback.js";
import { plainSnapshotOf } from "../../pipeline/release-snapshot.js";
import { projectOptions, type ProjectFlags } from "./load.js";

export interface PromoteFlags extends Omit<ProjectFlags, "env"> {
  readonly from: string;
  readonly to: string;
  readonly wait?: boolean;
  readonly json?: boolean;
}

export async function runPromote(ctx: CommandContext, flags: PromoteFlags): Promise<number> {
  // Asked again at preflight: asking now lets compose answer while the project loads.
  ctx.compose.version().catch(() => undefined);
  if (flags.from === flags.to) throw new SlipwayError("E_USAGE", `promote ${flags.from} ${flags.to}: name two different environments`);
  const dir = flags.dir ?? ctx.io.cwd;
  await using runtime = await openRuntime(ctx);
  const { store, engine } = runtime.deps;
  // The project as <to-env> sees it (its files, its variables), first to learn its name.
  const first = await loadAndResolve({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags), environment: flags.to }, ctx);
  if (!first.resolved) throw problemsError(first.loaded.problems);
  const projectId = await store.ensureProject(first.resolved.project.name, first.resolved.project.dir);
  const source = await store.liveRelease(await store.ensureEnvironment(projectId, flags.from));
  if (!source) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${flags.from}: deploy it first (slipway deploy --env ${flags.from})`);
  const snapshot = plainSnapshotOf(source);
  if (!snapshot) throw new SlipwayError("E_NOT_FOUND", `${flags.from}'s v${source.number} keeps no configuration snapshot: deploy ${flags.to} with slipway deploy instead`);
  // Read again with the promoted build's tag: images and TAG interpolation must name that build.
  const { loaded, resolved } = await loadAndResolve({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags), environment: flags.to, tag: snapshot.tag }, ctx);
  if (!resolved) throw problemsError(loaded.problems);
  if (resolved.lint.errors.length > 0) throw problemsError(resolved.lint.errors.map((message) => ({ code: "E_NOT_DEPLOYABLE", message })));
  ctx.redactor.add(secretValues(resolved));
  const gone = await missingImages(engine, resolved.project.name, resolved.classification, snapshot.tag);
  if (gone.length > 0) throw new SlipwayError("E_NOT_FOUND", `cannot promote: the images of ${flags.from}'s v${source.number} are gone: ${gone.join(", ")}`);

  const events = eventsFor(ctx, flags);
  try {
    const of = `${flags.from} v${source.number}`;
    events.message(`promoting ${of} (${snapshot.commit.slice(0, 12)}) to ${flags.to}`);
    const outcome = await deploy(
      { ...runtime.deps, events },
      { resolved, ref: of, commit: snapshot.commit, tag: snapshot.tag, cache: true, actor: actorOf(ctx.io.env), kind: "promotion", build: { id: source.buildId, of }, secrets: ctx.redactor.known() },
      { wait: flags.wait ?? true, onWait: (holder) => events.message(`waiting: ${flags.to} is locked by ${holder}`) },
    );
    events.message(`${outcome.release} of ${flags.to} (promoted from ${of}) is live${outcome.urls.length ? ` at ${outcome.urls.join(" ")}` : ""}`);
    return 0;
  } finally {
    events.stop?.();
  }
}
