/** Deployments as a reader sees them: where they belong, their state, their steps, their log. */
import type { DeploymentRow, LogRow, StepRow } from "../store/store.js";
import type { DeploymentPlace } from "../store/server-types.js";
import type { App } from "./app.js";
import { notFound, requireProject, type Principal } from "./access.js";
import { commitLink } from "./commit-link.js";
import { environmentOf } from "./registry.js";

export interface DeploymentView {
  readonly id: number;
  readonly project: string;
  readonly environment: string;
  readonly kind: string;
  readonly ref: string;
  readonly commit?: string;
  readonly actor: string;
  readonly status: DeploymentRow["status"];
  readonly error?: string;
  readonly queuedAt: Date;
  readonly runningAt?: Date;
  readonly finishedAt?: Date;
  readonly cancelRequested: boolean;
}

export interface StepView {
  readonly name: string;
  readonly status: StepRow["status"];
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly durationMs?: number;
  readonly error?: string;
}

export interface DeploymentDetail extends DeploymentView {
  readonly steps: readonly StepView[];
  /** The commit's page on the project's git host, when its remote names one. */
  readonly commitUrl?: string;
}

export function deploymentView(row: DeploymentRow, place: Pick<DeploymentPlace, "project" | "environment">): DeploymentView {
  return {
    id: row.id,
    project: place.project,
    environment: place.environment,
    kind: row.kind,
    ref: row.ref,
    ...(row.commit ? { commit: row.commit } : {}),
    actor: row.actor,
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    queuedAt: row.startedAt,
    ...(row.runningAt ? { runningAt: row.runningAt } : {}),
    ...(row.finishedAt ? { finishedAt: row.finishedAt } : {}),
    cancelRequested: row.cancelRequestedAt !== undefined,
  };
}

function stepView(step: StepRow): StepView {
  return {
    name: step.name,
    status: step.status,
    startedAt: step.startedAt,
    ...(step.finishedAt ? { finishedAt: step.finishedAt, durationMs: step.finishedAt.getTime() - step.startedAt.getTime() } : {}),
    ...(step.error ? { error: step.error } : {}),
  };
}

/** The deployment and where it belongs; one outside the principal's scope does not exist for it. */
export async function findDeployment(app: App, principal: Principal, id: number): Promise<{ row: DeploymentRow; place: DeploymentPlace }> {
  const { store } = await app.deps();
  const [row, place] = await Promise.all([store.deployment(id), store.deploymentPlace(id)]);
  if (!row || !place) throw notFound(`no deployment ${id}`);
  requireProject(principal, place.project);
  return { row, place };
}

export async function deploymentDetail(app: App, principal: Principal, id: number): Promise<DeploymentDetail> {
  const { row, place } = await findDeployment(app, principal, id);
  const [steps, remote] = await Promise.all([(await app.deps()).store.steps(id), row.commit ? app.git.remoteUrl(place.dir).catch(() => undefined) : undefined]);
  const commitUrl = row.commit ? commitLink(remote, row.commit) : undefined;
  return { ...deploymentView(row, place), steps: steps.map(stepView), ...(commitUrl ? { commitUrl } : {}) };
}

export async function environmentDeployments(app: App, principal: Principal, request: { project: string; environment: string; limit: number }): Promise<DeploymentView[]> {
  const env = await environmentOf(app, principal, request);
  const rows = await (await app.deps()).store.recentDeployments(env.environmentId, request.limit);
  return rows.map((row) => deploymentView(row, request));
}

/** The stored log, one line each: "<time> <step> <stream>: <line>" (redacted as it was written). */
export async function deploymentLogText(app: App, principal: Principal, id: number): Promise<string> {
  await findDeployment(app, principal, id);
  const rows: LogRow[] = await (await app.deps()).store.logs(id);
  return rows.map((r) => `${r.at.toISOString()} ${r.step} ${r.stream}: ${r.line}\n`).join("");
}
