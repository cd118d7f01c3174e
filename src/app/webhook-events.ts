/**
 * What a verified delivery asks for, read from each provider's payload: a push of a branch or a
 * tag (deleted or at a commit), a pull request opened, updated or closed, or something Slipway
 * does not act on.
 */
import type { Provider } from "./webhook-signatures.js";

export type HookEvent =
  | { readonly kind: "ping" }
  | { readonly kind: "push"; readonly branch?: string; readonly tag?: string; readonly commit?: string; readonly by?: string }
  | {
      readonly kind: "pull_request";
      readonly number: number;
      readonly action: "opened" | "updated" | "closed";
      readonly commit: string;
      readonly branch?: string;
      readonly by?: string;
      /** The repository the changes come from, when it is not the project's own (a fork). */
      readonly fork?: string;
    }
  | { readonly kind: "ignored"; readonly why: string };

/** How a delivery was answered: its HTTP status, what came of it, the deployments it queued. */
export interface WebhookReceipt {
  readonly status: number;
  readonly verdict: string;
  readonly deployments: readonly number[];
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value !== null && typeof value === "object" ? (value as Json) : {});
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const DELETED = /^0+$/;

function push(payload: Json, by: string | undefined): HookEvent {
  const ref = text(payload.ref);
  if (!ref) return { kind: "ignored", why: "a push without a ref" };
  const after = text(payload.after) ?? text(payload.checkout_sha);
  const commit = after && !DELETED.test(after) && payload.deleted !== true ? after : undefined;
  const place = ref.startsWith("refs/heads/") ? { branch: ref.slice("refs/heads/".length) } : ref.startsWith("refs/tags/") ? { tag: ref.slice("refs/tags/".length) } : undefined;
  if (!place) return { kind: "ignored", why: `a push of ${ref}, neither a branch nor a tag` };
  return { kind: "push", ...place, ...(commit ? { commit } : {}), ...(by ? { by } : {}) };
}

const PULL_ACTIONS: Readonly<Record<string, "opened" | "updated" | "closed">> = {
  opened: "opened",
  open: "opened",
  reopened: "opened",
  reopen: "opened",
  synchronize: "updated",
  synchronized: "updated",
  update: "updated",
  closed: "closed",
  close: "closed",
  merge: "closed",
};

function pullRequest(number: unknown, action: unknown, commit: unknown, branch: unknown, by: string | undefined, fork: string | undefined): HookEvent {
  const kind = PULL_ACTIONS[String(action)];
  if (!kind) return { kind: "ignored", why: `pull request action ${String(action)}: nothing to deploy` };
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1) return { kind: "ignored", why: "a pull request without a number" };
  const sha = text(commit);
  if (!sha) return { kind: "ignored", why: `pull request ${number} without a head commit` };
  const ref = text(branch);
  return { kind: "pull_request", number, action: kind, commit: sha, ...(ref ? { branch: ref } : {}), ...(by ? { by } : {}), ...(fork ? { fork } : {}) };
}

export function parseHookEvent(provider: Provider, event: string, body: unknown): HookEvent {
  const payload = object(body);
  if (provider === "gitlab") {
    const by = text(payload.user_username) ?? text(object(payload.user).username);
    if (event === "Push Hook" || event === "Tag Push Hook") return push(payload, by);
    if (event === "Merge Request Hook") {
      const attributes = object(payload.object_attributes);
      const fork = attributes.source_project_id !== undefined && attributes.source_project_id !== attributes.target_project_id ? (text(object(attributes.source).path_with_namespace) ?? `project ${JSON.stringify(attributes.source_project_id)}`) : undefined;
      return pullRequest(attributes.iid, attributes.action, object(attributes.last_commit).id, attributes.source_branch, by, fork);
    }
    return { kind: "ignored", why: `GitLab's ${event}: nothing to deploy` };
  }
  const by = text(object(payload.sender).login) ?? text(object(payload.pusher).name);
  if (event === "ping") return { kind: "ping" };
  if (event === "push") return push(payload, by);
  if (event === "pull_request") {
    const pull = object(payload.pull_request);
    const head = object(pull.head);
    const from = text(object(head.repo).full_name);
    const into = text(object(object(pull.base).repo).full_name);
    return pullRequest(payload.number ?? pull.number, payload.action, head.sha, head.ref, by, from && into && from !== into ? from : undefined);
  }
  return { kind: "ignored", why: `the ${event} event: nothing to deploy` };
}

/** A tag pattern of slipway.yml (`tags: "v*"`): `*` any run of characters, `?` one; nothing else is special. */
export function tagMatches(pattern: string, tag: string): boolean {
  // Two wildcards only, so a few lines rather than a glob library (whose path rules do not apply to tags).
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(tag);
}
