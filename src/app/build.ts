/**
 * Build: one commit's images, built and recorded exactly as a deploy of the environment would
 * build them (same build keys, labels and cache policy), and nothing that runs changed. A later
 * `slipway deploy --ref` of that commit (or `--build-mode reuse`) finds it and builds nothing.
 */
import { BUILD_KIND, queueBuild, runBuild, type BuildOutcome } from "../pipeline/build-only.js";
import type { DeployRequest as PipelineRequest } from "../pipeline/deploy-run.js";
import { describeReconciled, reconcile } from "../pipeline/reconcile.js";
import type { App } from "./app.js";
import { describeSources, resolveAtSource, sourceFields } from "./deploy.js";
import { endWithError, type DriveOptions } from "./drive.js";
import type { ProjectRequest } from "./project.js";

export type { BuildOutcome } from "../pipeline/build-only.js";

export interface BuildRequest extends ProjectRequest {
  /** Commit, branch or tag (default: the environment's branch, else HEAD). */
  readonly ref?: string;
  /** Docker's layer cache (default: on, as for a deploy from this machine). */
  readonly cache?: boolean;
  /** Build the working tree's uncommitted changes (tagged -dirty: no deploy of the commit reuses it). */
  readonly allowDirty?: boolean;
  /** Build again, without cache, even when this commit's images are here (--build-mode force). */
  readonly force?: boolean;
  readonly actor: string;
}

/** A build waits for no lock: it has none to wait for. */
export type BuildOptions = Omit<DriveOptions, "wait">;

async function prepareBuild(app: App, request: BuildRequest): Promise<{ request: PipelineRequest; messages: string[]; warnings: readonly string[] }> {
  const { resolved, source } = await resolveAtSource(app, request);
  const sources = describeSources(resolved);
  const { project } = resolved;
  return {
    request: {
      resolved,
      ...sourceFields(source),
      cache: request.cache ?? true,
      buildMode: request.force ? "force" : "auto",
      actor: request.actor,
    },
    messages: [...(sources ? [`variables: ${sources}`] : []), `building ${project.name} at ${source.tag} as ${project.environment.name} deploys it`],
    warnings: resolved.lint.warnings,
  };
}

function builtText(outcome: BuildOutcome, dirty: boolean): string {
  const what = `${outcome.images.join(", ")} ${outcome.built ? "built" : "already built"}`;
  // A swarm environment: the pushed images are the build's result.
  if (outcome.pushed) return `${what}, pushed: ${outcome.pushed.map((p) => `${p.reference}@${p.digest}`).join(", ")}`;
  return dirty ? `${what} (uncommitted changes: a deploy builds its own)` : `${what}: slipway deploy --ref ${outcome.tag} --build-mode reuse deploys it without building`;
}

export async function build(app: App, request: BuildRequest, options: BuildOptions): Promise<BuildOutcome> {
  const { events } = options;
  let deploymentId: number | undefined;
  try {
    const prepared = await prepareBuild(app, request);
    const deps = { ...(await app.deps()), events };
    const { project } = prepared.request.resolved;
    const projectId = await deps.store.ensureProject(project.name, project.dir);
    const environmentId = await deps.store.ensureEnvironment(projectId, project.environment.name);
    const reconciled = await reconcile(deps, { project: project.name, environment: project.environment.name, environmentId, dir: project.dir });
    const ticket = await queueBuild(deps, prepared.request);
    deploymentId = ticket.deploymentId;
    for (const text of describeReconciled(reconciled)) events({ type: "message", deploymentId, text });
    events({ type: "queued", deploymentId, kind: BUILD_KIND, ref: prepared.request.ref, commit: prepared.request.commit });
    for (const text of prepared.warnings) events({ type: "warning", deploymentId, text });
    for (const text of prepared.messages) events({ type: "message", deploymentId, text });
    const outcome = await runBuild(deps, ticket, prepared.request, options.signal ? { signal: options.signal } : {});
    const text = builtText(outcome, prepared.request.snapshot !== undefined);
    events({ type: "built", deploymentId, commit: outcome.commit, tag: outcome.tag, images: outcome.images, reused: !outcome.built, text });
    return outcome;
  } catch (error) {
    endWithError(app, events, error, deploymentId);
    throw error;
  }
}
