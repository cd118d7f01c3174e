/** Deploy: Build → Release → Switch of one commit to one environment. */
import { SlipwayError } from "../core/errors.js";
import { commitTag } from "../plan/naming.js";
import type { DeployOutcome } from "../pipeline/deploy.js";
import type { BuildMode, DeployRequest as PipelineSourceFields } from "../pipeline/deploy-run.js";
import type { ResolvedProject } from "../project/resolve-project.js";
import type { App } from "./app.js";
import { atUrls, drive, type DriveOptions, type Prepared } from "./drive.js";
import { assertDeployable, resolveOrThrow, type ProjectRequest } from "./project.js";

export interface DeployRequest extends ProjectRequest {
  /** Commit, branch or tag (default: the environment's branch, else HEAD). */
  readonly ref?: string;
  /** Docker's layer cache (default: slipway.yml's `cache:` when `serverBuild`, else on). */
  readonly cache?: boolean;
  /** Built by the server: without Docker's layer cache unless the request or slipway.yml's `cache: true` says otherwise. */
  readonly serverBuild?: boolean;
  /** Deploy uncommitted changes: the build is then tagged -dirty. */
  readonly allowDirty?: boolean;
  readonly buildMode?: BuildMode;
  readonly actor: string;
}

export interface DeploySource {
  readonly ref: string;
  readonly commit: string;
  readonly tag: string;
  readonly snapshot?: string;
}

/** The commit to deploy and its tag; a dirty tree only on request, and then never passing for the commit. */
export async function resolveSource(app: App, dir: string, request: { ref?: string; allowDirty?: boolean }, branch: string | undefined): Promise<DeploySource> {
  const ref = request.ref ?? branch ?? "HEAD";
  const commit = await app.git.resolve(dir, ref);
  const head = await app.git.head(dir);
  if (ref === "HEAD" && head?.dirty) {
    if (!request.allowDirty) {
      throw new SlipwayError("E_DIRTY_TREE", "the working tree has uncommitted changes: commit them, or deploy them anyway", { hint: { action: "allow-dirty" } });
    }
    const snapshot = await app.git.snapshot(dir);
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

/** The project read at the commit a request names: its source, and its model with that commit's TAG. */
export async function resolveAtSource(app: App, request: ProjectRequest & { ref?: string; allowDirty?: boolean }): Promise<{ resolved: ResolvedProject; source: DeploySource }> {
  const first = await resolveOrThrow(app, request);
  const source = await resolveSource(app, request.dir, request, first.project.environment.settings?.branch);
  // TAG is part of the model (image: app:${TAG}): read it again with the deployed commit's tag.
  const resolved = source.tag === first.project.tag ? first : await resolveOrThrow(app, { ...request, tag: source.tag });
  assertDeployable(resolved);
  return { resolved, source };
}

/** What a pipeline request takes from the resolved source: the ref, its commit, its tag, a dirty tree's snapshot. */
export function sourceFields(source: DeploySource): Pick<PipelineSourceFields, "ref" | "commit" | "tag" | "snapshot"> {
  return { ref: source.ref, commit: source.commit, tag: source.tag, ...(source.snapshot ? { snapshot: source.snapshot } : {}) };
}

async function prepareDeploy(app: App, request: DeployRequest): Promise<Prepared> {
  const { resolved, source } = await resolveAtSource(app, request);
  const sources = describeSources(resolved);
  return {
    request: {
      resolved,
      ...sourceFields(source),
      cache: request.cache ?? (request.serverBuild ? (resolved.project.config.cache ?? false) : true),
      buildMode: request.buildMode ?? "auto",
      actor: request.actor,
      secrets: app.redactor.known(),
    },
    warnings: resolved.lint.warnings,
    messages: [...(sources ? [`variables: ${sources}`] : []), `deploying ${resolved.project.name} to ${resolved.project.environment.name}`],
    live: (outcome) => `${outcome.release} is live${atUrls(outcome)}`,
  };
}

export function deploy(app: App, request: DeployRequest, options: DriveOptions): Promise<DeployOutcome> {
  return drive(app, () => prepareDeploy(app, request), options);
}
