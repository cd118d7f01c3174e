/** Preview environments: one per pull request, made, updated and removed by its webhooks. */
import type { ProjectGit, ProjectListRow } from "../store/server-types.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";
import type { HookEvent } from "./webhook-events.js";
import type { WebhookReceipt } from "./webhooks.js";

export async function handlePullRequest(_app: App, row: ProjectListRow & { git: ProjectGit }, _principal: Principal, event: Extract<HookEvent, { kind: "pull_request" }>): Promise<WebhookReceipt> {
  return { status: 200, verdict: `pull request ${event.number} ${event.action}: ${row.name} has no previews`, deployments: [] };
}
