/** `slipway deploy`: Build → Release → Switch for one environment. */
import { userInfo } from "node:os";
import { SlipwayError } from "../../core/errors.js";
import { commitTag } from "../../plan/naming.js";
import { deploy } from "../../pipeline/deploy.js";
import type { BuildMode } from "../../pipeline/deploy-run.js";
import type { DeployEvents } from "../../pipeline/events.js";
import { problemsError } from "../../project/problem.js";
import { loadAndResolve, secretValues, type ResolvedProject } from "../../project/resolve-project.js";
import type { CommandContext } from "../context.js";
import { jsonEvents, plainEvents, progressMode, ttyEvents } from "../progress.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { projectOptions, type ProjectFlags } from "./load.js";

export interface DeployFlags extends ProjectFlags {
  readonly ref?: string;
  readonly cache?: boolean;
  readonly allowDirty?: boolean;
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly buildMode?: string;
}

export function parseBuildMode(value: string | undefined): BuildMode {
  if (value === undefined || value === "auto" || value === "reuse" || value === "force") return value ?? "auto";
  throw new SlipwayError("E_USAGE", `--build-mode ${value}: choose auto, reuse or force`);
}

export function actorOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.SLIPWAY_ACTOR ?? env.USER ?? userInfo().username;
}

/** The commit to deploy and its tag; a dirty tree only on request, and then never passing for the commit. */
async function resolveSource(ctx: CommandContext, dir: string, flags: DeployFlags, branch: string | undefined): Promise<{ ref: string; commit: string; tag: string; snapshot?: string }> {
  const ref = flags.ref ?? branch ?? "HEAD";
  const commit = await ctx.git.resolve(dir, ref);
  const head = await ctx.git.head(dir);
  if (ref === "HEAD" && head?.dirty) {
    if (!flags.allowDirty) {
      throw new SlipwayError("E_DIRTY_TREE", "the working tree has uncommitted changes: commit them, or deploy them anyway with --allow-dirty (the build is then tagged -dirty)");
    }
    const snapshot = await ctx.git.snapshot(dir);
    if (snapshot) return { ref, commit, tag: `${commitTag(commit, true)}-${snapshot.slice(0, 7)}`, snapshot };
  }
  return { ref, commit, tag: commitTag(commit) };
}

/** Where each variable the project uses comes from, grouped by source: "GREETING, SECRET_KEY from slipway env (version 3); TAG from slipway". */
export function describeSources(resolved: ResolvedProject): string {
  const { variables, sources } = resolved.project;
  const names = new Set([...sources.flatMap((s) => s.references.map((r) => r.reference.name)), ...Object.keys(variables.overrides)]);
  const bySource = new Map<string, string[]>();
  for (const name of [...names].sort()) {
    const origin = variables.origin[name];
    if (origin !== undefined) bySource.set(origin, [...(bySource.get(origin) ?? []), name]);
  }
  return [...bySource].map(([origin, list]) => `${list.join(", ")} from ${origin}`).join("; ");
}

export function eventsFor(ctx: CommandContext, flags: DeployFlags): DeployEvents & { stop?: () => void } {
  const mode = progressMode(flags, ctx.io.stdoutIsTTY, ctx.io.env);
  if (mode === "json") return jsonEvents(ctx.io.stdout);
  return mode === "tty" ? ttyEvents(ctx.io.stderr) : plainEvents(ctx.io.stderr);
}

export async function runDeploy(ctx: CommandContext, flags: DeployFlags): Promise<number> {
  // Asked again at preflight: asking now lets compose answer while the project loads.
  ctx.compose.version().catch(() => undefined);
  // The store opens while the project loads; it is closed whatever happens next.
  const opening = openRuntime(ctx);
  opening.catch(() => undefined);
  try {
    return await deployWith(ctx, flags, opening);
  } finally {
    await (await opening.catch(() => undefined))?.[Symbol.asyncDispose]();
  }
}

async function deployWith(ctx: CommandContext, flags: DeployFlags, opening: Promise<Runtime>): Promise<number> {
  const dir = flags.dir ?? ctx.io.cwd;
  const first = await loadAndResolve({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags) }, ctx);
  if (!first.resolved) throw problemsError(first.loaded.problems);
  const branch = first.resolved.project.environment.settings?.branch;
  const source = await resolveSource(ctx, dir, flags, branch);
  // TAG is part of the model (image: app:${TAG}): read it again with the deployed commit's tag.
  const { loaded, resolved } =
    source.tag === first.resolved.project.tag ? first : await loadAndResolve({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, tag: source.tag, ...projectOptions(flags) }, ctx);
  if (!resolved) throw problemsError(loaded.problems);
  if (resolved.lint.errors.length > 0) throw problemsError(resolved.lint.errors.map((message) => ({ code: "E_NOT_DEPLOYABLE", message })));
  ctx.redactor.add(secretValues(resolved));

  const events = eventsFor(ctx, flags);
  const runtime = await opening;
  try {
    for (const warning of resolved.lint.warnings) events.message(`warning: ${warning}`);
    const sources = describeSources(resolved);
    if (sources) events.message(`variables: ${sources}`);
    events.message(`deploying ${resolved.project.name} to ${resolved.project.environment.name}`);
    const outcome = await deploy(
      { ...runtime.deps, events },
      { resolved, ref: source.ref, commit: source.commit, tag: source.tag, ...(source.snapshot ? { snapshot: source.snapshot } : {}), cache: flags.cache ?? true, buildMode: parseBuildMode(flags.buildMode), actor: actorOf(ctx.io.env), secrets: ctx.redactor.known() },
      { wait: flags.wait ?? true, onWait: (holder) => events.message(`waiting: the environment is locked by ${holder}`) },
    );
    events.message(`${outcome.release} is live${outcome.urls.length ? ` at ${outcome.urls.join(" ")}` : ""}`);
    return 0;
  } finally {
    events.stop?.();
  }
}
