/** The calls each provider's API gets, as exact requests; the words each uses for each phase; the checks of a target. */
import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import { apiUrlOf, checkRepository, commitStatusCall, githubDeploymentCall, githubDeploymentStatusCall, type ProviderTarget, type StatusContext, type StatusPhase } from "./status-providers.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const context = (phase: StatusPhase, extra: Partial<StatusContext> = {}): StatusContext => ({ sha: SHA, environment: "live", phase, description: "d", ...extra });
const target = (provider: ProviderTarget["provider"], repository = "acme/shop"): ProviderTarget => ({ provider, repository, apiUrl: "https://api.example", token: "t0k" });
const body = (text: string): unknown => JSON.parse(text);

describe("commit statuses", () => {
  it.each([
    { provider: "github", phase: "pending", state: "pending" },
    { provider: "github", phase: "succeeded", state: "success" },
    { provider: "github", phase: "failed", state: "failure" },
    { provider: "github", phase: "cancelled", state: "error" },
    { provider: "gitlab", phase: "pending", state: "pending" },
    { provider: "gitlab", phase: "succeeded", state: "success" },
    { provider: "gitlab", phase: "failed", state: "failed" },
    { provider: "gitlab", phase: "cancelled", state: "canceled" },
    { provider: "gitea", phase: "pending", state: "pending" },
    { provider: "gitea", phase: "succeeded", state: "success" },
    { provider: "gitea", phase: "failed", state: "failure" },
    { provider: "gitea", phase: "cancelled", state: "error" },
  ] as const)("$provider says $state for $phase", ({ provider, phase, state }) => {
    expect(commitStatusCall(target(provider), context(phase)).state).toBe(state);
  });

  it("GitHub: POST /repos/OWNER/NAME/statuses/SHA, a bearer token, context slipway/ENV", () => {
    const call = commitStatusCall(target("github"), context("pending", { targetUrl: "https://panel/#/d/4" }));
    expect(call.post.url).toBe(`https://api.example/repos/acme/shop/statuses/${SHA}`);
    expect(call.post.headers).toEqual({ authorization: "Bearer t0k", accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "slipway" });
    expect(body(call.post.body)).toEqual({ state: "pending", context: "slipway/live", description: "d", target_url: "https://panel/#/d/4" });
  });

  it("GitLab: POST /projects/ID/statuses/SHA with the path encoded, PRIVATE-TOKEN, name slipway/ENV", () => {
    const call = commitStatusCall(target("gitlab", "acme/tools/shop"), context("cancelled"));
    expect(call.post.url).toBe(`https://api.example/projects/acme%2Ftools%2Fshop/statuses/${SHA}`);
    expect(call.post.headers).toEqual({ "private-token": "t0k", "user-agent": "slipway" });
    expect(body(call.post.body)).toEqual({ state: "canceled", name: "slipway/live", description: "d" });
  });

  it("Gitea: POST /repos/OWNER/NAME/statuses/SHA, Authorization: token", () => {
    const call = commitStatusCall(target("gitea"), context("failed", { description: "x".repeat(200) }));
    expect(call.post.url).toBe(`https://api.example/repos/acme/shop/statuses/${SHA}`);
    expect(call.post.headers.authorization).toBe("token t0k");
    const sent = body(call.post.body) as { description: string };
    expect(sent.description).toHaveLength(140);
  });
});

describe("GitHub deployments", () => {
  it("are created for the commit and environment, never merged, without required contexts", () => {
    const call = githubDeploymentCall(target("github"), context("pending"));
    expect(call).toMatchObject({ state: "deployment", post: { url: "https://api.example/repos/acme/shop/deployments" } });
    expect(body(call.post.body)).toEqual({ ref: SHA, environment: "live", description: "d", auto_merge: false, required_contexts: [] });
  });

  it("get in_progress, then success with the log and environment URLs", () => {
    const pending = githubDeploymentStatusCall(target("github"), "77", context("pending", { targetUrl: "https://panel/#/d/4" }));
    expect(pending.post.url).toBe("https://api.example/repos/acme/shop/deployments/77/statuses");
    expect(body(pending.post.body)).toEqual({ state: "in_progress", description: "d", log_url: "https://panel/#/d/4" });
    const live = githubDeploymentStatusCall(target("github"), "77", context("succeeded", { environmentUrl: "https://shop.example/" }));
    expect(live.state).toBe("deployment success");
    expect(body(live.post.body)).toEqual({ state: "success", description: "d", environment_url: "https://shop.example/" });
  });
});

describe("a target's checks", () => {
  it.each([
    { provider: "github", repository: "acme/shop", ok: true },
    { provider: "github", repository: "acme/tools/shop", ok: false },
    { provider: "gitea", repository: "shop", ok: false },
    { provider: "gitlab", repository: "acme/tools/shop", ok: true },
    { provider: "gitlab", repository: "1234", ok: true },
    { provider: "gitlab", repository: "shop", ok: false },
  ] as const)("$provider repository $repository: $ok", ({ provider, repository, ok }) => {
    const checked = (): string => checkRepository(provider, repository);
    if (ok) expect(checked()).toBe(repository);
    else expect(checked).toThrow(expect.objectContaining({ code: "E_USAGE" }) as Error);
  });

  it("defaults the API to the public one, which Gitea has not, and trims a trailing slash", () => {
    expect(apiUrlOf("github", undefined)).toBe("https://api.github.com");
    expect(apiUrlOf("gitlab", undefined)).toBe("https://gitlab.com/api/v4");
    expect(apiUrlOf("gitea", "https://git.example.com/api/v1/")).toBe("https://git.example.com/api/v1");
    for (const bad of [() => apiUrlOf("gitea", undefined), () => apiUrlOf("github", "ftp://x"), () => apiUrlOf("github", "nope")]) {
      let caught: unknown;
      try {
        bad();
      } catch (error) {
        caught = error;
      }
      expect(isSlipwayError(caught, "E_USAGE")).toBe(true);
    }
  });
});
