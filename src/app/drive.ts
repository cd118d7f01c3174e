/**
 * What every operation that makes a release live shares (deploy, rollback, promotion): queue the
 * deployment, say what it will do, run it, and end its event stream with `live`, `failed` or
 * `cancelled`, whatever happened.
 */
import { SlipwayError, isSlipwayError } from "../core/errors.js";
import type { EventSink } from "../core/events.js";
import { queueDeployment, runDeployment, type DeployOutcome, type DeploymentTicket } from "../pipeline/deploy.js";
import type { DeployDeps, DeployRequest as PipelineRequest } from "../pipeline/deploy-run.js";
import { describeReconciled, reconcile } from "../pipeline/reconcile.js";
import type { App } from "./app.js";
import { deploymentEnded, deploymentQueued } from "./deployment-hooks.js";

export interface DriveOptions {
  readonly events: EventSink;
  /** Wait for the environment's lock (the deployment stays queued), or fail with E_LOCKED at once. */
  readonly wait: boolean;
  readonly signal?: AbortSignal;
  readonly queued?: QueuedTicket;
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

/** A deployment the server's queue recorded already (its row, its `queued` event): run it, rather than queue a new one. */
export interface QueuedTicket extends DeploymentTicket {
  /** The project it was asked for, as registered: the checkout must still say so. */
  readonly project: string;
}

async function ticketFor(deps: DeployDeps, prepared: Prepared, queued: QueuedTicket | undefined, events: EventSink): Promise<DeploymentTicket> {
  const { request } = prepared;
  const { project } = request.resolved;
  if (queued && project.name !== queued.project) {
    throw new SlipwayError("E_CONFIG_INVALID", `the checkout at ${project.dir} now names the project ${project.name}, registered as ${queued.project}: register it again`);
  }
  const environmentId = queued?.environmentId ?? (await deps.store.ensureEnvironment(await deps.store.ensureProject(project.name, project.dir), project.environment.name));
  const reconciled = await reconcile(deps, { project: project.name, environment: project.environment.name, environmentId, dir: project.dir });
  const ticket = queued ?? (await queueDeployment(deps, request));
  const { deploymentId } = ticket;
  if (queued) await deps.store.updateDeployment(deploymentId, { ref: request.ref });
  for (const text of describeReconciled(reconciled)) events({ type: "message", deploymentId, text });
  if (!queued) events({ type: "queued", deploymentId, kind: request.kind ?? "deploy", ref: request.ref, commit: request.commit });
  return ticket;
}

export async function drive(app: App, prepare: () => Promise<Prepared>, options: DriveOptions): Promise<DeployOutcome> {
  const { events } = options;
  let deploymentId = options.queued?.deploymentId;
  try {
    const prepared = await prepare();
    const deps = { ...(await app.deps()), events };
    const ticket = await ticketFor(deps, prepared, options.queued, events);
    deploymentId = ticket.deploymentId;
    deploymentQueued(app, deploymentId, prepared.request);
    for (const text of prepared.warnings ?? []) events({ type: "warning", deploymentId, text });
    for (const text of prepared.messages) events({ type: "message", deploymentId, text });
    const outcome = await runDeployment(deps, ticket, prepared.request, { wait: options.wait, ...(options.signal ? { signal: options.signal } : {}) });
    events({ type: "live", deploymentId, release: outcome.release, urls: outcome.urls, text: prepared.live(outcome) });
    return outcome;
  } catch (error) {
    endWithError(app, events, error, deploymentId, options.signal);
    throw error;
  } finally {
    if (deploymentId !== undefined) deploymentEnded(app, deploymentId);
  }
}

/**
 * The last event of an operation that threw: `cancelled` once its deployment was under way and
 * cancelled (its error says so, or its signal was aborted), else `failed`.
 */
export function endWithError(app: App, events: EventSink, error: unknown, deploymentId: number | undefined, signal?: AbortSignal): void {
  const cancelled = isSlipwayError(error, "E_CANCELLED") || (signal?.aborted ?? false);
  if (deploymentId !== undefined && cancelled) events({ type: "cancelled", deploymentId, reason: app.redactor.apply(cancelReason(error, signal)) });
  else events(failedEvent(error, deploymentId, (text) => app.redactor.apply(text)));
}

function cancelReason(error: unknown, signal: AbortSignal | undefined): string {
  if (isSlipwayError(error, "E_CANCELLED")) return error.message;
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : "the deployment was cancelled";
}

/** " at http://…/ http://…/" when the release has URLs. */
export function atUrls(outcome: DeployOutcome): string {
  return outcome.urls.length ? ` at ${outcome.urls.join(" ")}` : "";
}
