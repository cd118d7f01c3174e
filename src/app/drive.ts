/**
 * What every operation that makes a release live shares (deploy, rollback, promotion): queue the
 * deployment, say what it will do, run it, and end its event stream with `live`, `failed` or
 * `cancelled`, whatever happened.
 */
import { SlipwayError, isSlipwayError } from "../core/errors.js";
import type { EventSink } from "../core/events.js";
import { queueDeployment, runDeployment, type DeployOutcome } from "../pipeline/deploy.js";
import type { DeployRequest as PipelineRequest } from "../pipeline/deploy-run.js";
import { describeReconciled, reconcile } from "../pipeline/reconcile.js";
import type { App } from "./app.js";

export interface DriveOptions {
  readonly events: EventSink;
  /** Wait for the environment's lock (the deployment stays queued), or fail with E_LOCKED at once. */
  readonly wait: boolean;
  readonly signal?: AbortSignal;
}

export interface Prepared {
  readonly request: PipelineRequest;
  readonly warnings?: readonly string[];
  /** Said once the deployment is queued: what it will do. */
  readonly messages: readonly string[];
  /** Said when it is live. */
  live(outcome: DeployOutcome): string;
}

export function failedEvent(error: unknown, deploymentId: number | undefined, redact: (text: string) => string): Parameters<EventSink>[0] {
  const known = error instanceof SlipwayError ? error : undefined;
  return {
    type: "failed",
    ...(deploymentId !== undefined ? { deploymentId } : {}),
    code: known?.code ?? "E_INTERNAL",
    message: redact((error as Error).message ?? String(error)),
    ...(known?.hint ? { hint: known.hint } : {}),
  };
}

export async function drive(app: App, prepare: () => Promise<Prepared>, options: DriveOptions): Promise<DeployOutcome> {
  const { events } = options;
  let deploymentId: number | undefined;
  try {
    const prepared = await prepare();
    const deps = { ...(await app.deps()), events };
    const { request } = prepared;
    const { project } = request.resolved;
    const projectId = await deps.store.ensureProject(project.name, project.dir);
    const environmentId = await deps.store.ensureEnvironment(projectId, project.environment.name);
    const reconciled = await reconcile(deps, { project: project.name, environment: project.environment.name, environmentId, dir: project.dir });
    const ticket = await queueDeployment(deps, request);
    deploymentId = ticket.deploymentId;
    for (const text of describeReconciled(reconciled)) events({ type: "message", deploymentId, text });
    events({ type: "queued", deploymentId, kind: request.kind ?? "deploy", ref: request.ref, commit: request.commit });
    for (const text of prepared.warnings ?? []) events({ type: "warning", deploymentId, text });
    for (const text of prepared.messages) events({ type: "message", deploymentId, text });
    const outcome = await runDeployment(deps, ticket, request, { wait: options.wait, ...(options.signal ? { signal: options.signal } : {}) });
    events({ type: "live", deploymentId, release: outcome.release, urls: outcome.urls, text: prepared.live(outcome) });
    return outcome;
  } catch (error) {
    endWithError(app, events, error, deploymentId);
    throw error;
  }
}

/** The last event of an operation that threw: `cancelled` once its deployment was under way and cancelled, else `failed`. */
export function endWithError(app: App, events: EventSink, error: unknown, deploymentId: number | undefined): void {
  if (deploymentId !== undefined && isSlipwayError(error, "E_CANCELLED")) events({ type: "cancelled", deploymentId, reason: app.redactor.apply(error.message) });
  else events(failedEvent(error, deploymentId, (text) => app.redactor.apply(text)));
}

/** " at http://…/ http://…/" when the release has URLs. */
export function atUrls(outcome: DeployOutcome): string {
  return outcome.urls.length ? ` at ${outcome.urls.join(" ")}` : "";
}
