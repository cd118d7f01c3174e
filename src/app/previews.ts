/**
 * Preview environments: `pr-<number>` for each open pull request of a project from a git URL,
 * made when it opens (its variables copied from the template environment), deployed again at
 * each update, and removed with its volumes when it closes. A preview is an environment like any
 * other, so it has its own accessories, volumes and release history: never Live's.
 */
import { previewEnvironment, previewName } from "../config/previews.js";
import { loadProject } from "../project/load-project.js";
import { keyFilePath } from "../secrets/master-key.js";
import { changeVariables, readVariables } from "../secrets/variables-store.js";
import type { SlipwayConfig } from "../config/slipway-schema.js";
import type { ProjectGit, ProjectListRow } from "../store/server-types.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";
import { down } from "./down.js";
import { checkoutFor } from "./git-projects.js";
import { enqueueDeploy } from "./queue.js";
import type { HookEvent, WebhookReceipt } from "./webhook-events.js";

type GitRow = ProjectListRow & { git: ProjectGit };
type PullRequest = Extract<HookEvent, { kind: "pull_request" }>;

/** Where a preview answers: its host name, or its router port. */
export function previewAddress(config: SlipwayConfig, environment: string): string {
  const settings = previewEnvironment(config, environment);
  if (settings?.hosts?.[0]) return `http://${settings.hosts[0]}/`;
  return settings?.listen ? `port ${settings.listen} of this host` : "no address";
}

/** The template's variables, as the preview's first version. */
async function copyVariables(app: App, row: GitRow, template: string, environmentId: number, environment: string, actor: string): Promise<number> {
  const { store } = await app.deps();
  const templateId = (await store.environments(row.id)).find((e) => e.name === template)?.id;
  if (templateId === undefined) return 0;
  const keyFile = keyFilePath(app.home);
  const sealer = app.sealer({ create: false });
  const { values } = await readVariables(store, templateId, sealer, { environment: template, keyFile });
  const names = Object.keys(values);
  if (names.length === 0 || !sealer) return 0;
  await changeVariables(store, environmentId, sealer, { set: values, actor, environment, keyFile });
  return names.length;
}

async function openOrUpdate(app: App, row: GitRow, principal: Principal, event: PullRequest, config: SlipwayConfig, commit: string): Promise<WebhookReceipt> {
  const environment = previewName(event.number);
  const { store } = await app.deps();
  const existing = (await store.environments(row.id)).find((e) => e.name === environment);
  const environmentId = existing?.id ?? (await store.ensureEnvironment(row.id, environment));
  const template = config.previews?.template;
  const copied = !existing && template ? await copyVariables(app, row, template, environmentId, environment, principal.actor) : 0;
  if (!existing) await store.audit({ actor: principal.actor, action: "preview.create", project: row.name, environment, detail: { pullRequest: event.number, ...(template ? { template, variables: copied } : {}) } });
  const queued = await enqueueDeploy(app, principal, { project: row.name, environment, ref: commit });
  const made = existing ? "updated" : `made${template ? ` from ${template} (${copied} variables copied)` : ""}`;
  return {
    status: 202,
    verdict: `pull request ${event.number} ${event.action} at ${commit.slice(0, 12)}: ${environment} ${made}, queued deployment ${queued.id}, at ${previewAddress(config, environment)}`,
    deployments: [queued.id],
  };
}

async function remove(app: App, row: GitRow, principal: Principal, event: PullRequest, dir: string): Promise<WebhookReceipt> {
  const environment = previewName(event.number);
  const { store } = await app.deps();
  const existing = (await store.environments(row.id)).find((e) => e.name === environment);
  if (!existing) return { status: 200, verdict: `pull request ${event.number} closed: it had no preview`, deployments: [] };
  // Waits for a deployment of the preview that runs now, then takes everything of it away.
  await down(app, { dir, name: row.name, environment, volumes: true, actor: principal.actor, say: () => undefined });
  await store.deleteEnvironment(existing.id);
  await store.audit({ actor: principal.actor, action: "preview.remove", project: row.name, environment, detail: { pullRequest: event.number } });
  return { status: 200, verdict: `pull request ${event.number} closed: ${environment} removed with its containers, route and volumes`, deployments: [] };
}

export async function handlePullRequest(app: App, row: GitRow, principal: Principal, event: PullRequest): Promise<WebhookReceipt> {
  // The pull request's own slipway.yml says whether it gets a preview, and how.
  const checkout = await checkoutFor(app, row, { ref: event.commit, adopt: false });
  const loaded = await loadProject({ dir: checkout.dir, name: row.name, processEnv: app.env }, { git: app.git });
  const config = loaded.project?.config;
  if (!config?.previews) return { status: 200, verdict: `pull request ${event.number} ${event.action}: slipway.yml at ${checkout.commit.slice(0, 12)} has no previews: section`, deployments: [] };
  if (event.action === "closed") return remove(app, row, principal, event, checkout.dir);
  if (event.fork && !config.previews.forks) {
    return { status: 200, verdict: `pull request ${event.number} comes from the fork ${event.fork}: no preview, since its code would run with this project's variables (previews.forks: true allows it)`, deployments: [] };
  }
  return openOrUpdate(app, row, principal, event, config, checkout.commit);
}
