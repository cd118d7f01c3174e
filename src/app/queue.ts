/**
 * The durable deployment queue, for any shell: `enqueue` records what was asked (a deploy, a
 * rollback, a promotion) and supersedes the environment's older request still waiting;
 * `claimNext` takes one for this process; `runClaimed` runs it through the same drive as the
 * CLI, its events kept in the store. The server's worker decides when; this decides what.
 */
import { z } from "zod";
import { withoutUserInfo } from "../adapters/git-mirror.js";
import { previewNumber } from "../config/previews.js";
import { SlipwayError } from "../core/errors.js";
import type { DeploymentStatus } from "../store/store.js";
import type { ClaimedDeployment, DeploymentPlace } from "../store/server-types.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";
import { deploy } from "./deploy.js";
import { deploymentEnded, deploymentQueued } from "./deployment-hooks.js";
import { deploymentView, findDeployment, type DeploymentView } from "./deployments.js";
import { endWithError, type DriveOptions } from "./drive.js";
import { recordEvents } from "./event-log.js";
import { promote } from "./promote.js";
import { checkoutFor } from "./git-projects.js";
import { environmentOf } from "./registry.js";
import { rollback } from "./rollback.js";

export type { ClaimedDeployment } from "../store/server-types.js";

export const QueuedRequestSchema = z.discriminatedUnion("kind", [
  // cache: what the request or the project's registration said; none: slipway.yml's `cache:`, else off.
  z.strictObject({ kind: z.literal("deploy"), environment: z.string(), ref: z.string().optional(), buildMode: z.enum(["auto", "reuse", "force"]).optional(), cache: z.boolean().optional() }),
  z.strictObject({ kind: z.literal("rollback"), environment: z.string(), release: z.string().optional() }),
  z.strictObject({ kind: z.literal("promotion"), from: z.string(), to: z.string() }),
]);
/** What a queued deployment will do, stored with it (JSON) until a process runs it. */
export type QueuedRequest = z.infer<typeof QueuedRequestSchema>;

/** The environment a request deploys to. */
export function targetOf(request: QueuedRequest): string {
  return request.kind === "promotion" ? request.to : request.environment;
}

function refOf(request: QueuedRequest): string {
  if (request.kind === "deploy") return request.ref ?? "(the environment's branch)";
  if (request.kind === "rollback") return request.release ?? "(the release before the live one)";
  return `${request.from} (promotion)`;
}

export async function enqueue(app: App, principal: Principal, request: { project: string; request: QueuedRequest }): Promise<DeploymentView> {
  const { project, request: asked } = request;
  const environment = targetOf(asked);
  const env = await environmentOf(app, principal, { project, environment });
  if (asked.kind === "promotion") await environmentOf(app, principal, { project, environment: asked.from });
  const { store } = await app.deps();
  const { id, superseded } = await store.enqueueDeployment({ environmentId: env.environmentId, kind: asked.kind, ref: refOf(asked), actor: principal.actor, request: asked });
  const recorder = recordEvents(app, store);
  recorder.sink({ type: "queued", deploymentId: id, kind: asked.kind, ref: refOf(asked) });
  for (const older of superseded) recorder.sink({ type: "cancelled", deploymentId: older, reason: `superseded by deployment ${id}` });
  await recorder.flush();
  deploymentQueued(app, id);
  for (const older of superseded) deploymentEnded(app, older);
  await store.audit({ actor: principal.actor, action: `deployment.${asked.kind}`, project, environment, detail: { id, ...asked, superseded } });
  const row = await store.deployment(id);
  if (!row) throw new SlipwayError("E_INTERNAL", `deployment ${id} vanished as it was queued`);
  return deploymentView(row, { project, environment });
}

export interface DeployAsk {
  readonly project: string;
  readonly environment: string;
  readonly ref?: string;
  readonly buildMode?: "auto" | "reuse" | "force";
  /** Overrides the server's cache policy either way. */
  readonly noCache?: boolean;
}

/**
 * A deploy asked of the server. Server-side builds run without Docker's layer cache (nothing
 * left over from an earlier build can leak in) unless asked: by the request (`noCache: false`),
 * the project's registration (`settings.cache`), or its slipway.yml (`cache: true`, read when
 * the deployment runs), in that order.
 */
export async function enqueueDeploy(app: App, principal: Principal, ask: DeployAsk): Promise<DeploymentView> {
  const { project } = await environmentOf(app, principal, ask);
  const cache = ask.noCache !== undefined ? !ask.noCache : project.settings.cache;
  const request: QueuedRequest = { kind: "deploy", environment: ask.environment, ...(cache !== undefined ? { cache } : {}), ...(ask.ref ? { ref: ask.ref } : {}), ...(ask.buildMode ? { buildMode: ask.buildMode } : {}) };
  return enqueue(app, principal, { project: ask.project, request });
}

export type CancelResult = { readonly outcome: "cancelled" | "requested" | "finished"; readonly deployment: DeploymentView };

/** Cancels at once what waits; asks the process running it to stop (before its switch) what runs. */
export async function cancelDeployment(app: App, principal: Principal, id: number): Promise<CancelResult> {
  const { place } = await findDeployment(app, principal, id);
  const { store } = await app.deps();
  const outcome = (await store.requestCancel(id)) ?? "finished";
  if (outcome === "cancelled") {
    const recorder = recordEvents(app, store);
    recorder.sink({ type: "cancelled", deploymentId: id, reason: `cancelled by ${principal.actor} before it ran` });
    await recorder.flush();
    deploymentEnded(app, id);
  }
  if (outcome !== "finished") await store.audit({ actor: principal.actor, action: "deployment.cancel", project: place.project, environment: place.environment, detail: { id, outcome } });
  const row = await store.deployment(id);
  return { outcome, deployment: deploymentView(row ?? (await findDeployment(app, principal, id)).row, place) };
}

/** A waiting request, now this process's to run; undefined when none can run now. */
export async function claimNext(app: App): Promise<ClaimedDeployment | undefined> {
  return (await app.deps()).store.claimDeployment();
}

/** Of these deployments (this process's), those someone asked to cancel. */
export async function cancelsAsked(app: App, ids: readonly number[]): Promise<number[]> {
  return (await app.deps()).store.cancelRequested(ids);
}

/**
 * Where a deploy runs from: the registered checkout, or for a project from a git URL the
 * checkout of the commit its ref names now (the mirror fetched first), deployed as that commit.
 */
async function sourceOf(app: App, place: DeploymentPlace, asked: Extract<QueuedRequest, { kind: "deploy" }>, options: DriveOptions): Promise<{ dir: string; ref?: string }> {
  const row = await (await app.deps()).store.project(place.project);
  if (!row?.git) return { dir: place.dir, ...(asked.ref ? { ref: asked.ref } : {}) };
  // A preview's commit is a pull request's: the project stays at its branches' newest checkout.
  const adopt = previewNumber(asked.environment) === undefined;
  const checkout = await checkoutFor(app, { ...row, git: row.git }, { environment: asked.environment, adopt, ...(asked.ref ? { ref: asked.ref } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const deploymentId = options.queued?.deploymentId;
  if (deploymentId !== undefined) options.events({ type: "message", deploymentId, text: `fetched ${withoutUserInfo(row.git.url)}: ${asked.ref ?? "the environment's branch"} is ${checkout.commit.slice(0, 12)}` });
  return { dir: checkout.dir, ref: checkout.commit };
}

async function runRequest(app: App, place: DeploymentPlace, asked: QueuedRequest, actor: string, options: DriveOptions): Promise<unknown> {
  const where = { dir: place.dir, name: place.project };
  if (asked.kind === "promotion") return promote(app, { ...where, from: asked.from, to: asked.to, actor }, options);
  if (asked.kind === "rollback") return rollback(app, { ...where, environment: asked.environment, ...(asked.release ? { target: asked.release } : {}), actor }, options);
  const { dir, ref } = await sourceOf(app, place, asked, options).catch((error: unknown) => {
    // Before the pipeline: its stream still ends, with the remote's answer.
    endWithError(app, options.events, error, options.queued?.deploymentId, options.signal);
    throw error;
  });
  const request = { dir, name: place.project, environment: asked.environment, serverBuild: true, allowDirty: false, actor, ...(asked.cache !== undefined ? { cache: asked.cache } : {}), ...(ref ? { ref } : {}), ...(asked.buildMode ? { buildMode: asked.buildMode } : {}) };
  return deploy(app, request, options);
}

/**
 * Runs a claimed request to its end and returns how it ended. Aborting the signal cancels it
 * (before its switch; after, it finishes). Never throws: the outcome is in the store.
 */
export async function runClaimed(app: App, claimed: ClaimedDeployment, options: { signal: AbortSignal }): Promise<DeploymentStatus | undefined> {
  const { store } = await app.deps();
  const recorder = recordEvents(app, store);
  try {
    const place = await store.environmentPlace(claimed.environmentId);
    if (!place) throw new SlipwayError("E_NOT_FOUND", `the environment of deployment ${claimed.id} no longer exists`);
    const asked = QueuedRequestSchema.parse(claimed.request);
    const queued = { deploymentId: claimed.id, projectId: place.projectId, environmentId: claimed.environmentId, project: place.project };
    await runRequest(app, place, asked, claimed.actor, { events: recorder.sink, wait: true, signal: options.signal, queued });
  } catch (error) {
    await settle(app, claimed.id, error, options.signal);
  } finally {
    await recorder.flush();
    deploymentEnded(app, claimed.id);
  }
  return (await store.deployment(claimed.id))?.status;
}

/** A request that failed before its pipeline ran (a checkout that no longer loads): its row says so. */
async function settle(app: App, id: number, error: unknown, signal: AbortSignal): Promise<void> {
  const { store } = await app.deps();
  const row = await store.deployment(id);
  if (!row || (row.status !== "queued" && row.status !== "running")) return;
  await store.updateDeployment(id, { status: signal.aborted ? "cancelled" : "failed", error: app.redactor.apply((error as Error).message ?? String(error)), finishedAt: new Date(app.clock.now()) });
}

