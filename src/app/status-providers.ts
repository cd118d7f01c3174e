/**
 * What each git provider's API is sent to show a deployment on its commit, as data: the URL,
 * headers and JSON body of each call, built by pure functions (tested against exact requests).
 * GitHub gets a deployment (its statuses follow it) and a commit status; GitLab and Gitea a
 * commit status, named `slipway/<environment>` everywhere.
 */
import { SlipwayError } from "../core/errors.js";
import type { StatusProvider } from "../store/store.js";
import type { HttpPost } from "./http-delivery.js";

export const PROVIDERS: readonly StatusProvider[] = ["github", "gitlab", "gitea"];

export const DEFAULT_API: Readonly<Record<StatusProvider, string | undefined>> = { github: "https://api.github.com", gitlab: "https://gitlab.com/api/v4", gitea: undefined };

/** Where a deployment is: queued (or running), or ended one of three ways. */
export type StatusPhase = "pending" | "succeeded" | "failed" | "cancelled";

export interface ProviderTarget {
  readonly provider: StatusProvider;
  readonly repository: string;
  readonly apiUrl: string;
  readonly token: string;
}

export interface StatusContext {
  readonly sha: string;
  readonly environment: string;
  readonly phase: StatusPhase;
  readonly description: string;
  /** The deployment's page (SLIPWAY_PUBLIC_URL). */
  readonly targetUrl?: string;
  /** Where the release answers, once live. */
  readonly environmentUrl?: string;
}

export interface StatusCall {
  /** What the report records as its state: "pending", "deployment in_progress", … */
  readonly state: string;
  readonly post: HttpPost;
}

/** Each API's word for each phase (cancelled: GitHub and Gitea have no such state, "error" is theirs for "did not complete"). */
const COMMIT_STATES: Readonly<Record<StatusProvider, Readonly<Record<StatusPhase, string>>>> = {
  github: { pending: "pending", succeeded: "success", failed: "failure", cancelled: "error" },
  gitlab: { pending: "pending", succeeded: "success", failed: "failed", cancelled: "canceled" },
  gitea: { pending: "pending", succeeded: "success", failed: "failure", cancelled: "error" },
};
const GITHUB_DEPLOYMENT_STATES: Readonly<Record<StatusPhase, string>> = { pending: "in_progress", succeeded: "success", failed: "failure", cancelled: "error" };

/** GitHub cuts nothing: it refuses a description over 140 characters. */
const DESCRIPTION_MAX = 140;

export function contextName(environment: string): string {
  return `slipway/${environment}`;
}

/** OWNER/NAME for GitHub and Gitea; for GitLab a project path (groups allowed) or its numeric id. */
export function checkRepository(provider: StatusProvider, repository: string): string {
  const ownerName = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
  const gitlab = /^(\d+|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+)$/;
  if ((provider === "gitlab" ? gitlab : ownerName).test(repository)) return repository;
  const shape = provider === "gitlab" ? "GROUP/NAME (subgroups allowed) or the project's numeric id" : "OWNER/NAME";
  throw new SlipwayError("E_USAGE", `--repository ${repository}: give ${shape}`);
}

/** The API's base URL: given (http or https), else the provider's public one; Gitea has none. */
export function apiUrlOf(provider: StatusProvider, given: string | undefined): string {
  const text = given ?? DEFAULT_API[provider];
  if (text === undefined) throw new SlipwayError("E_USAGE", `${provider} needs --api, such as https://git.example.com/api/v1`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SlipwayError("E_USAGE", `--api ${text} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new SlipwayError("E_USAGE", `--api ${text}: give an http:// or https:// URL`);
  return url.href.replace(/\/+$/, "");
}

function headersOf(target: ProviderTarget): Record<string, string> {
  if (target.provider === "github") return { authorization: `Bearer ${target.token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "slipway" };
  if (target.provider === "gitlab") return { "private-token": target.token, "user-agent": "slipway" };
  return { authorization: `token ${target.token}`, "user-agent": "slipway" };
}

const short = (text: string): string => (text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`);

function call(target: ProviderTarget, state: string, path: string, body: Record<string, unknown>): StatusCall {
  return { state, post: { url: `${target.apiUrl}${path}`, headers: headersOf(target), body: JSON.stringify(body) } };
}

/** The commit status of a phase, in the provider's own shape. */
export function commitStatusCall(target: ProviderTarget, context: StatusContext): StatusCall {
  const state = COMMIT_STATES[target.provider][context.phase];
  const name = contextName(context.environment);
  const link = context.targetUrl ? { target_url: context.targetUrl } : {};
  const description = short(context.description);
  if (target.provider === "gitlab") {
    return call(target, state, `/projects/${encodeURIComponent(target.repository)}/statuses/${context.sha}`, { state, name, description, ...link });
  }
  return call(target, state, `/repos/${target.repository}/statuses/${context.sha}`, { state, context: name, description, ...link });
}

/** GitHub: the deployment a queued one becomes (its id, in the answer, is what its statuses are posted to). */
export function githubDeploymentCall(target: ProviderTarget, context: StatusContext): StatusCall {
  return call(target, "deployment", `/repos/${target.repository}/deployments`, {
    ref: context.sha,
    environment: context.environment,
    description: short(context.description),
    auto_merge: false,
    required_contexts: [],
  });
}

export function githubDeploymentStatusCall(target: ProviderTarget, deploymentId: string, context: StatusContext): StatusCall {
  const state = GITHUB_DEPLOYMENT_STATES[context.phase];
  return call(target, `deployment ${state}`, `/repos/${target.repository}/deployments/${deploymentId}/statuses`, {
    state,
    description: short(context.description),
    ...(context.targetUrl ? { log_url: context.targetUrl } : {}),
    ...(context.environmentUrl ? { environment_url: context.environmentUrl } : {}),
  });
}
