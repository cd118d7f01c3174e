/**
 * A project's commit-status target: the git provider, repository and API its deployments are
 * reported to, with a token stored sealed and never shown again; and the reports sent there.
 */
import { SlipwayError } from "../core/errors.js";
import type { StatusProvider, StatusReportRow } from "../store/store.js";
import type { App } from "./app.js";
import { notFound } from "./access.js";
import { knownProject } from "./notifications.js";
import { apiUrlOf, checkRepository, PROVIDERS } from "./status-providers.js";

export interface StatusTargetView {
  readonly provider: StatusProvider;
  readonly repository: string;
  readonly apiUrl: string;
  readonly actor: string;
  readonly createdAt: Date;
}

export type StatusReportView = Omit<StatusReportRow, "id" | "externalId">;

export interface StatusTargetRequest {
  readonly project: string;
  readonly provider: string;
  readonly repository: string;
  /** The API's base URL; default: the provider's public one (Gitea has none). */
  readonly api?: string;
  readonly token: string;
  readonly actor: string;
}

export function isProvider(text: string): text is StatusProvider {
  return (PROVIDERS as readonly string[]).includes(text);
}

export async function setStatusTarget(app: App, request: StatusTargetRequest): Promise<StatusTargetView> {
  const { provider } = request;
  if (!isProvider(provider)) throw new SlipwayError("E_USAGE", `--provider ${provider}: choose ${PROVIDERS.join(", ")}`);
  const repository = checkRepository(provider, request.repository);
  const apiUrl = apiUrlOf(provider, request.api);
  const token = request.token.trim();
  if (token === "") throw new SlipwayError("E_USAGE", "the token is empty: give the provider's API token on standard input");
  const projectId = await knownProject(app, request.project);
  const { store, sealer } = await app.deps();
  await store.setStatusTarget({ projectId, provider, repository, apiUrl, token: sealer().seal(token), actor: request.actor });
  await store.audit({ actor: request.actor, action: "statuses.set", project: request.project, detail: { provider, repository, apiUrl } });
  return { provider, repository, apiUrl, actor: request.actor, createdAt: new Date(app.clock.now()) };
}

/** The target (none: undefined) and its newest reports. */
export async function showStatusTarget(app: App, request: { project: string; limit?: number }): Promise<{ target?: StatusTargetView; reports: StatusReportView[] }> {
  const projectId = await knownProject(app, request.project);
  const { store } = await app.deps();
  const target = await store.statusTarget(projectId);
  const reports = (await store.statusReports({ projectId, limit: request.limit ?? 20 })).map(({ id: _id, externalId: _external, ...report }) => report);
  if (!target) return { reports };
  return { target: { provider: target.provider, repository: target.repository, apiUrl: target.apiUrl, actor: target.actor, createdAt: target.createdAt }, reports };
}

export async function removeStatusTarget(app: App, request: { project: string; actor: string }): Promise<void> {
  const projectId = await knownProject(app, request.project);
  const { store } = await app.deps();
  if (!(await store.removeStatusTarget(projectId))) throw notFound(`${request.project} reports no commit statuses`);
  await store.audit({ actor: request.actor, action: "statuses.remove", project: request.project, detail: {} });
}
