/**
 * A webhook delivery, from its first byte to the deployments it queues: the project is found,
 * the sender's signature checked against the raw body before anything else is read, a replayed
 * delivery id refused, and then a push deploys every environment whose `branch:` (or `tags:`)
 * it names, at exactly the pushed commit. Every delivery is recorded with its verdict, so that
 * one that "did nothing" always says why.
 */
import { SlipwayError } from "../core/errors.js";
import { loadProject } from "../project/load-project.js";
import type { ProjectGit, ProjectListRow, WebhookDeliveryRow } from "../store/server-types.js";
import type { App } from "./app.js";
import { requireProject, notFound, type Principal } from "./access.js";
import { checkoutFor, projectSecrets } from "./git-projects.js";
import { handlePullRequest } from "./previews.js";
import { enqueueDeploy } from "./queue.js";
import { parseHookEvent, tagMatches, type HookEvent, type WebhookReceipt } from "./webhook-events.js";

export type { WebhookReceipt } from "./webhook-events.js";
import { identifySender, verifySignature, type Headers, type Sender } from "./webhook-signatures.js";

export interface WebhookRequest {
  readonly project: string;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The body's media type: GitHub can send its payload as a form field. */
  readonly contentType?: string;
}


/** The payload as JSON, whether sent as JSON or as GitHub's form (payload=…). */
function payloadOf(request: WebhookRequest): unknown {
  const text = request.body.toString("utf8");
  if (request.contentType?.startsWith("application/x-www-form-urlencoded")) return JSON.parse(new URLSearchParams(text).get("payload") ?? "null");
  return JSON.parse(text);
}

/** Who the history names for a deployment a webhook queued. */
function webhookPrincipal(project: string, sender: Sender, event: HookEvent): Principal {
  const by = "by" in event && event.by ? ` by ${event.by}` : "";
  return { actor: `webhook ${sender.provider}${by}`, role: "deployer", project, kind: "api", tokenId: 0 };
}

type GitRow = ProjectListRow & { git: ProjectGit };

/** Every environment a push deploys, read from the pushed commit's slipway.yml. */
async function pushTargets(app: App, row: GitRow, dir: string, event: Extract<HookEvent, { kind: "push" }>): Promise<{ targets: string[]; declared: string }> {
  const loaded = await loadProject({ dir, name: row.name, processEnv: app.env }, { git: app.git });
  const environments = Object.entries(loaded.project?.config.environments ?? {});
  const targets = environments.filter(([, settings]) => (event.branch !== undefined ? settings.branch === event.branch : event.tag !== undefined && settings.tags !== undefined && tagMatches(settings.tags, event.tag))).map(([name]) => name);
  const declared = environments.map(([name, s]) => `${name}: ${[s.branch ? `branch ${s.branch}` : "", s.tags ? `tags ${s.tags}` : ""].filter(Boolean).join(", ") || "none"}`).join("; ");
  return { targets, declared };
}

async function onPush(app: App, row: GitRow, sender: Sender, event: Extract<HookEvent, { kind: "push" }>): Promise<WebhookReceipt> {
  const what = event.branch !== undefined ? `branch ${event.branch}` : `tag ${event.tag ?? ""}`;
  if (!event.commit) return { status: 200, verdict: `${what} was deleted: nothing to deploy`, deployments: [] };
  const checkout = await checkoutFor(app, row, { ref: event.commit });
  const { targets, declared } = await pushTargets(app, row, checkout.dir, event);
  if (targets.length === 0) {
    return { status: 200, verdict: `no environment deploys ${what} (${declared || "slipway.yml declares no environments"}): set environments.<name>.${event.branch !== undefined ? "branch" : "tags"} in slipway.yml`, deployments: [] };
  }
  const principal = webhookPrincipal(row.name, sender, event);
  const queued = [];
  for (const environment of targets) queued.push({ environment, id: (await enqueueDeploy(app, principal, { project: row.name, environment, ref: checkout.commit })).id });
  return {
    status: 202,
    verdict: `${what} at ${checkout.commit.slice(0, 12)}: queued ${queued.map((q) => `deployment ${q.id} to ${q.environment}`).join(", ")}`,
    deployments: queued.map((q) => q.id),
  };
}

async function act(app: App, row: GitRow, sender: Sender, event: HookEvent): Promise<WebhookReceipt> {
  if (event.kind === "ping") return { status: 200, verdict: "ping: the webhook reaches Slipway and its signature is right", deployments: [] };
  if (event.kind === "ignored") return { status: 200, verdict: `${event.why}`, deployments: [] };
  if (event.kind === "push") return onPush(app, row, sender, event);
  return handlePullRequest(app, row, webhookPrincipal(row.name, sender, event), event);
}

export async function receiveWebhook(app: App, request: WebhookRequest): Promise<WebhookReceipt> {
  const { store } = await app.deps();
  const sender = identifySender(request.headers);
  const record = (status: number, verdict: string, dedupe?: string) =>
    store.recordDelivery({ project: request.project, provider: sender?.provider ?? "unknown", event: sender?.event ?? "unknown", delivery: sender?.delivery ?? "", status, verdict, ...(dedupe ? { dedupe } : {}) });
  const refuse = async (status: number, verdict: string): Promise<WebhookReceipt> => {
    await record(status, verdict);
    return { status, verdict, deployments: [] };
  };

  const row = await store.project(request.project);
  if (!row) return refuse(404, `no project named ${request.project}`);
  if (!row.git) return refuse(404, `${request.project} is a checkout on this host, not a project from a git URL: it takes no webhooks`);
  if (!sender) return refuse(400, "not a delivery of GitHub, GitLab, Gitea or Forgejo (no event header)");
  const secret = (await projectSecrets(app, row.id))?.webhookSecret;
  if (!secret) return refuse(401, "the project has no webhook secret: slipway webhooks rotate makes one");
  const signature = verifySignature(sender.provider, request.headers, request.body, secret);
  if (!signature.ok) return refuse(401, `${signature.reason}: refused before reading the body`);
  if (!sender.delivery) return refuse(400, "the delivery has no id header: a replay could not be told apart");

  let event: HookEvent;
  try {
    event = parseHookEvent(sender.provider, sender.event, payloadOf(request));
  } catch {
    return refuse(400, "the body is not JSON");
  }
  const recorded = await record(202, "received", `${row.name}\n${sender.provider}\n${sender.delivery}`);
  if (recorded.duplicateOf) return { status: 200, verdict: `delivery ${sender.delivery} was handled before (${recorded.duplicateOf.verdict}): nothing done`, deployments: [] };
  try {
    const receipt = await act(app, row as GitRow, sender, event);
    await store.updateDelivery(recorded.id, receipt);
    return receipt;
  } catch (error) {
    // A redelivery of the same id may try again: the key is freed with the failure recorded.
    const message = app.redactor.apply((error as Error).message ?? String(error));
    const status = error instanceof SlipwayError && error.code === "E_GIT" ? 502 : 422;
    await store.failDelivery(recorded.id, { status, verdict: `failed: ${message}` });
    return { status, verdict: `failed: ${message}`, deployments: [] };
  }
}

export async function webhookDeliveries(app: App, principal: Principal, project: string, limit = 50): Promise<WebhookDeliveryRow[]> {
  requireProject(principal, project);
  const { store } = await app.deps();
  if (!(await store.project(project))) throw notFound(`no project named ${project}`);
  return store.deliveries(project, limit);
}
