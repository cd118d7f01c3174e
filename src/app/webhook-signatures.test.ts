import { describe, expect, it } from "vitest";
import { identifySender, verifySignature } from "./webhook-signatures.js";
import { parseHookEvent, tagMatches } from "./webhook-events.js";

// GitHub's documented example ("Validating webhook deliveries"): this secret and payload give this header.
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_BODY = Buffer.from("Hello, World!");
const GITHUB_HEADER = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("identifySender", () => {
  it.each([
    ["github", { "x-github-event": "push", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }, { provider: "github", event: "push", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958" }],
    ["gitea (which sends GitHub's event header too)", { "x-gitea-event": "push", "x-gitea-delivery": "g-1", "x-github-event": "push", "x-github-delivery": "g-1" }, { provider: "gitea", event: "push", delivery: "g-1" }],
    ["forgejo", { "x-forgejo-event": "pull_request", "x-forgejo-delivery": "f-1" }, { provider: "gitea", event: "pull_request", delivery: "f-1" }],
    ["gitlab, Idempotency-Key first", { "x-gitlab-event": "Push Hook", "idempotency-key": "i-1", "x-gitlab-event-uuid": "u-1" }, { provider: "gitlab", event: "Push Hook", delivery: "i-1" }],
    ["gitlab, the event's UUID", { "x-gitlab-event": "Merge Request Hook", "x-gitlab-event-uuid": "u-1" }, { provider: "gitlab", event: "Merge Request Hook", delivery: "u-1" }],
  ])("%s", (_name, headers, sender) => {
    expect(identifySender(headers)).toEqual(sender);
  });

  it("is nobody without an event header", () => {
    expect(identifySender({ "x-hub-signature-256": GITHUB_HEADER })).toBeUndefined();
  });
});

describe("verifySignature", () => {
  it.each([
    ["GitHub's documented example", "github", { "x-hub-signature-256": GITHUB_HEADER }, GITHUB_SECRET, { ok: true }],
    ["GitHub, upper-case hex", "github", { "x-hub-signature-256": GITHUB_HEADER.toUpperCase().replace("SHA256=", "sha256=") }, GITHUB_SECRET, { ok: true }],
    ["GitHub, another secret", "github", { "x-hub-signature-256": GITHUB_HEADER }, "another", { ok: false, reason: "bad signature" }],
    ["GitHub, the hex without its sha256= prefix", "github", { "x-hub-signature-256": GITHUB_HEADER.slice(7) }, GITHUB_SECRET, { ok: false, reason: "bad signature" }],
    ["GitHub, only the old SHA-1 header", "github", { "x-hub-signature": "sha1=0123" }, GITHUB_SECRET, { ok: false, reason: "missing signature" }],
    ["Gitea: the bare hex of the same HMAC", "gitea", { "x-gitea-signature": GITHUB_HEADER.slice(7) }, GITHUB_SECRET, { ok: true }],
    ["Forgejo's own header", "gitea", { "x-forgejo-signature": GITHUB_HEADER.slice(7) }, GITHUB_SECRET, { ok: true }],
    ["Gitea, with GitHub's prefix", "gitea", { "x-gitea-signature": GITHUB_HEADER }, GITHUB_SECRET, { ok: false, reason: "bad signature" }],
    ["Gitea, none", "gitea", {}, GITHUB_SECRET, { ok: false, reason: "missing signature" }],
    ["GitLab: the token, whole", "gitlab", { "x-gitlab-token": GITHUB_SECRET }, GITHUB_SECRET, { ok: true }],
    ["GitLab: a prefix of it", "gitlab", { "x-gitlab-token": GITHUB_SECRET.slice(0, 5) }, GITHUB_SECRET, { ok: false, reason: "bad signature" }],
    ["GitLab: none", "gitlab", {}, GITHUB_SECRET, { ok: false, reason: "missing signature" }],
  ] as const)("%s", (_name, provider, headers, secret, verdict) => {
    expect(verifySignature(provider, headers, GITHUB_BODY, secret)).toEqual(verdict);
  });

  it("signs the bytes as sent: the same JSON with other spacing does not pass", () => {
    expect(verifySignature("github", { "x-hub-signature-256": GITHUB_HEADER }, Buffer.from("Hello,  World!"), GITHUB_SECRET)).toEqual({ ok: false, reason: "bad signature" });
  });
});

describe("parseHookEvent", () => {
  const sha = "a".repeat(40);
  it.each([
    ["a GitHub push of a branch", "github", "push", { ref: "refs/heads/main", after: sha, sender: { login: "ann" } }, { kind: "push", branch: "main", commit: sha, by: "ann" }],
    ["a GitHub tag push", "github", "push", { ref: "refs/tags/v1.0", after: sha }, { kind: "push", tag: "v1.0", commit: sha }],
    ["a deleted branch", "github", "push", { ref: "refs/heads/old", after: "0".repeat(40), deleted: true }, { kind: "push", branch: "old" }],
    ["a GitLab push", "gitlab", "Push Hook", { ref: "refs/heads/develop", after: sha, user_username: "bo" }, { kind: "push", branch: "develop", commit: sha, by: "bo" }],
    ["a GitLab tag push", "gitlab", "Tag Push Hook", { ref: "refs/tags/v2", after: sha, checkout_sha: sha }, { kind: "push", tag: "v2", commit: sha }],
    ["a GitHub pull request opened", "github", "pull_request", { action: "opened", number: 7, pull_request: { head: { sha, ref: "feature" } } }, { kind: "pull_request", number: 7, action: "opened", commit: sha, branch: "feature" }],
    ["a GitHub pull request synchronized", "github", "pull_request", { action: "synchronize", number: 7, pull_request: { head: { sha } } }, { kind: "pull_request", number: 7, action: "updated", commit: sha }],
    ["a Gitea pull request synchronized", "gitea", "pull_request", { action: "synchronized", number: 3, pull_request: { head: { sha } } }, { kind: "pull_request", number: 3, action: "updated", commit: sha }],
    ["a GitLab merge request merged", "gitlab", "Merge Request Hook", { object_attributes: { iid: 4, action: "merge", last_commit: { id: sha }, source_branch: "f" } }, { kind: "pull_request", number: 4, action: "closed", commit: sha, branch: "f" }],
    ["a GitHub pull request from a fork", "github", "pull_request", { action: "opened", number: 8, pull_request: { head: { sha, ref: "f", repo: { full_name: "eve/shop" } }, base: { repo: { full_name: "acme/shop" } } } }, { kind: "pull_request", number: 8, action: "opened", commit: sha, branch: "f", fork: "eve/shop" }],
    ["a GitHub pull request from a branch of the repository", "github", "pull_request", { action: "opened", number: 9, pull_request: { head: { sha, repo: { full_name: "acme/shop" } }, base: { repo: { full_name: "acme/shop" } } } }, { kind: "pull_request", number: 9, action: "opened", commit: sha }],
    ["a GitLab merge request from a fork", "gitlab", "Merge Request Hook", { object_attributes: { iid: 5, action: "open", last_commit: { id: sha }, source_project_id: 2, target_project_id: 1, source: { path_with_namespace: "eve/shop" } } }, { kind: "pull_request", number: 5, action: "opened", commit: sha, fork: "eve/shop" }],
    ["a GitHub ping", "github", "ping", { zen: "…" }, { kind: "ping" }],
    ["a labelled pull request", "github", "pull_request", { action: "labeled", number: 7, pull_request: { head: { sha } } }, { kind: "ignored", why: "pull request action labeled: nothing to deploy" }],
    ["an issue comment", "github", "issue_comment", {}, { kind: "ignored", why: "the issue_comment event: nothing to deploy" }],
  ] as const)("%s", (_name, provider, event, payload, parsed) => {
    expect(parseHookEvent(provider, event, payload)).toEqual(parsed);
  });
});

describe("tagMatches", () => {
  it.each([
    ["v*", "v1.2.0", true],
    ["v*", "release-1", false],
    ["v?.0", "v1.0", true],
    ["v?.0", "v10.0", false],
    ["release.1", "releasex1", false],
  ])("%s against %s", (pattern, tag, matches) => {
    expect(tagMatches(pattern, tag)).toBe(matches);
  });
});
