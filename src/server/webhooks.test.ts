/**
 * Webhooks against a real server and a real git remote (a bare repository): verified before
 * anything else, recorded with a verdict, a replay never deploying twice, and a push queueing a
 * deployment of exactly the pushed commit for each environment whose branch it is. No worker
 * runs here: the deployments stay queued (test/docker/push-to-deploy.test.ts runs them).
 */
import { createHmac } from "node:crypto";
import { renameSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNext, runClaimed } from "../app/index.js";
import { apiHarness, type ApiHarness } from "../../test/support/api.js";
import { githubPush, gitRemote, type GitRemote } from "../../test/support/git-remote.js";

const FILES = {
  Dockerfile: 'FROM busybox\nCMD ["httpd", "-f", "-p", "80"]\n',
  "docker-compose.yml": "services:\n  web:\n    build: .\n    ports: [\"8080:80\"]\n",
  "slipway.yml": "project: shop\nenvironments:\n  production: { default: true, branch: main }\n  test: { branch: develop }\n  release: { tags: \"v*\" }\npreviews: { ports: \"21000-21099\", template: test }\n",
};

let api: ApiHarness;
let remote: GitRemote;
let admin: string;
let secret: string;

interface Delivery {
  provider: string;
  event: string;
  delivery: string;
  status: number;
  verdict: string;
  deployments: number[];
}

const hook = (project: string, message: { headers: Record<string, string>; body: string }) => api.request("POST", `/hooks/${project}`, { headers: message.headers, body: message.body });
const deliveries = async (): Promise<Delivery[]> => (await api.request("GET", "/api/projects/shop/webhook-deliveries", { token: admin })).json as Delivery[];
const queuedIn = async (environment: string): Promise<Array<{ id: number; ref: string; status: string; actor: string }>> =>
  (await api.request("GET", `/api/projects/shop/environments/${environment}/deployments`, { token: admin })).json as Array<{ id: number; ref: string; status: string; actor: string }>;

beforeAll(async () => {
  remote = await gitRemote(FILES);
  api = await apiHarness({ env: { SLIPWAY_PUBLIC_URL: "https://deploy.example.com/" } });
  admin = await api.token("admin");
  const created = await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", git: remote.url } });
  expect(created.status, created.text).toBe(201);
  const body = created.json as { environments: string[]; git: { url: string }; webhook: { path: string; url: string; secret: string } };
  expect(body.environments).toEqual(["production", "release", "test"]);
  expect(body.git.url).toBe(remote.url);
  expect(body.webhook.path).toBe("/hooks/shop");
  expect(body.webhook.url).toBe("https://deploy.example.com/hooks/shop");
  expect(body.webhook.secret).toMatch(/^[0-9a-f]{64}$/);
  secret = body.webhook.secret;
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await remote?.[Symbol.asyncDispose]();
});

describe("a project from a git URL", () => {
  it("never shows its webhook secret again, and refuses a second registration under its name", async () => {
    const listed = await api.request("GET", "/api/projects/shop", { token: admin });
    expect(listed.text).not.toContain(secret);
    const again = await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", git: remote.url } });
    expect(again.status).toBe(409);
    const both = await api.request("POST", "/api/projects", { token: admin, body: { name: "x", git: remote.url, path: "/tmp" } });
    expect(both.status).toBe(400);
  });

  it("is refused, with git's answer, when its URL cannot be fetched, and nothing is recorded", async () => {
    const missing = await api.request("POST", "/api/projects", { token: admin, body: { name: "nowhere", git: `${remote.url}-missing` } });
    expect(missing.status, missing.text).toBe(422);
    expect((missing.json as { detail: string }).detail).toMatch(/could not fetch .*remote\.git-missing/);
    expect((await api.request("GET", "/api/projects/nowhere", { token: admin })).status).toBe(404);
  });
});

describe("a GitHub push", () => {
  it("queues a deployment of exactly the pushed commit to the environment whose branch it is", async () => {
    const commit = await remote.commit({ "README.md": "one\n" });
    const answer = await hook("shop", githubPush(secret, { ref: "refs/heads/main", commit, delivery: "d-main-1" }));
    expect(answer.status, answer.text).toBe(202);
    const receipt = answer.json as { verdict: string; deployments: number[] };
    expect(receipt.deployments).toHaveLength(1);
    expect(receipt.verdict).toBe(`branch main at ${commit.slice(0, 12)}: queued deployment ${receipt.deployments[0]} to production`);
    const [queued] = await queuedIn("production");
    expect(queued).toMatchObject({ id: receipt.deployments[0], ref: commit, status: "queued", actor: "webhook github by ann" });
    expect(await queuedIn("test")).toEqual([]);
  });

  it("deploys a delivery id once: a replay is recorded, and does nothing", async () => {
    const commit = await remote.commit({ "README.md": "two\n" }, { branch: "develop" });
    const message = githubPush(secret, { ref: "refs/heads/develop", commit, delivery: "d-develop-1" });
    const first = await hook("shop", message);
    expect(first.status, first.text).toBe(202);
    const replay = await hook("shop", message);
    expect(replay.status).toBe(200);
    expect((replay.json as { verdict: string }).verdict).toMatch(/^delivery d-develop-1 was handled before \(branch develop at .*: nothing done$/);
    expect(await queuedIn("test")).toHaveLength(1);
    const [latest, earlier] = await deliveries();
    expect(latest).toMatchObject({ delivery: "d-develop-1", status: 200, deployments: [] });
    expect(earlier).toMatchObject({ delivery: "d-develop-1", status: 202, deployments: [(first.json as { deployments: number[] }).deployments[0]] });
  });

  it("says why it did nothing: another branch, a deleted branch, a ping", async () => {
    const commit = await remote.commit({ "README.md": "three\n" }, { branch: "feature" });
    const other = await hook("shop", githubPush(secret, { ref: "refs/heads/feature", commit, delivery: "d-feature" }));
    expect(other.status).toBe(200);
    expect((other.json as { verdict: string }).verdict).toBe("no environment deploys branch feature (production: branch main; test: branch develop; release: tags v*): set environments.<name>.branch in slipway.yml");
    const deleted = await hook("shop", githubPush(secret, { ref: "refs/heads/feature", commit: "0".repeat(40), delivery: "d-deleted", payload: { ref: "refs/heads/feature", after: "0".repeat(40), deleted: true } }));
    expect((deleted.json as { verdict: string }).verdict).toBe("branch feature was deleted: nothing to deploy");
    const ping = await hook("shop", githubPush(secret, { ref: "", commit: "", delivery: "d-ping", event: "ping", payload: { zen: "Keep it logically awesome." } }));
    expect(ping.status).toBe(200);
    expect((ping.json as { verdict: string }).verdict).toMatch(/^ping/);
  });

  it("deploys a tag that matches an environment's tags pattern", async () => {
    const commit = await remote.commit({ "README.md": "tagged\n" });
    await remote.tag("v1.2.0");
    const answer = await hook("shop", githubPush(secret, { ref: "refs/tags/v1.2.0", commit, delivery: "d-tag" }));
    expect(answer.status, answer.text).toBe(202);
    expect((await queuedIn("release"))[0]).toMatchObject({ ref: commit });
  });
});

describe("a pull request", () => {
  const pull = (commit: string, head: string, delivery: string) =>
    githubPush(secret, { ref: "", commit, delivery, event: "pull_request", payload: { action: "opened", number: 3, pull_request: { head: { sha: commit, ref: "feature", repo: { full_name: head } }, base: { repo: { full_name: "acme/shop" } } }, sender: { login: "eve" } } });

  it("from the repository itself queues its preview pr-<number>; from a fork, nothing, and says why", async () => {
    const commit = await remote.commit({ "README.md": "pull\n" }, { branch: "feature" });
    const fork = await hook("shop", pull(commit, "eve/shop", "pr-fork"));
    expect(fork.status).toBe(200);
    expect((fork.json as { verdict: string }).verdict).toBe("pull request 3 comes from the fork eve/shop: no preview, since its code would run with this project's variables (previews.forks: true allows it)");
    const own = await hook("shop", pull(commit, "acme/shop", "pr-own"));
    expect(own.status, own.text).toBe(202);
    expect((own.json as { verdict: string }).verdict).toMatch(/^pull request 3 opened at [0-9a-f]{12}: pr-3 made from test \(0 variables copied\), queued deployment \d+, at port 21003 of this host$/);
    expect((await queuedIn("pr-3"))[0]).toMatchObject({ ref: commit, actor: "webhook github by eve" });
  });
});

describe("a delivery that is not the project's", () => {
  it("is refused before anything happens: wrong signature, no signature, unknown project, no event header", async () => {
    const before = (await queuedIn("production")).length;
    const commit = await remote.commit({ "README.md": "forged\n" });
    const forged = githubPush("not-the-secret", { ref: "refs/heads/main", commit, delivery: "d-forged" });
    expect((await hook("shop", forged)).status).toBe(401);
    const unsigned = githubPush(secret, { ref: "refs/heads/main", commit, delivery: "d-unsigned" });
    delete unsigned.headers["x-hub-signature-256"];
    expect((await hook("shop", unsigned)).status).toBe(401);
    expect((await hook("nosuch", githubPush(secret, { ref: "refs/heads/main", commit, delivery: "d-nosuch" }))).status).toBe(404);
    const anonymous = { headers: { "content-type": "application/json" }, body: "{}" };
    expect((await hook("shop", anonymous)).status).toBe(400);
    expect((await queuedIn("production")).length).toBe(before);
    const verdicts = (await deliveries()).slice(0, 3).map((d) => [d.delivery, d.status, d.verdict]);
    expect(verdicts).toEqual([
      ["", 400, "not a delivery of GitHub, GitLab, Gitea or Forgejo (no event header)"],
      ["d-unsigned", 401, "missing signature: refused before reading the body"],
      ["d-forged", 401, "bad signature: refused before reading the body"],
    ]);
    // A forged delivery does not take the id of a real one: the real one still deploys.
    const real = await hook("shop", githubPush(secret, { ref: "refs/heads/main", commit, delivery: "d-forged" }));
    expect(real.status, real.text).toBe(202);
  });
});

describe("GitLab and Gitea", () => {
  it("take GitLab's token header (compared whole) and Gitea's signature without a prefix", async () => {
    const commit = await remote.commit({ "README.md": "providers\n" }, { branch: "develop" });
    const gitlabBody = JSON.stringify({ object_kind: "push", ref: "refs/heads/develop", after: commit, user_username: "bo" });
    const gitlab = (token: string, uuid: string) => hook("shop", { headers: { "content-type": "application/json", "x-gitlab-event": "Push Hook", "x-gitlab-token": token, "x-gitlab-event-uuid": uuid }, body: gitlabBody });
    expect((await gitlab(`${secret}x`, "g-1")).status).toBe(401);
    expect((await gitlab(secret.slice(0, 10), "g-2")).status).toBe(401);
    const ok = await gitlab(secret, "g-3");
    expect(ok.status, ok.text).toBe(202);
    expect((await queuedIn("test"))[0]).toMatchObject({ ref: commit, actor: "webhook gitlab by bo" });

    const giteaBody = JSON.stringify({ ref: "refs/heads/develop", after: commit, sender: { login: "cy" } });
    const signature = createHmac("sha256", secret).update(giteaBody).digest("hex");
    const gitea = (sig: string, id: string) => hook("shop", { headers: { "content-type": "application/json", "x-gitea-event": "push", "x-gitea-delivery": id, "x-gitea-signature": sig, "x-github-event": "push" }, body: giteaBody });
    expect((await gitea(`sha256=${signature}`, "t-1")).status).toBe(401);
    const accepted = await gitea(signature, "t-2");
    expect(accepted.status, accepted.text).toBe(202);
    expect((await deliveries())[0]).toMatchObject({ provider: "gitea", delivery: "t-2", status: 202 });
  });
});

describe("rotating the webhook secret", () => {
  it("makes a new one, shown once; the old one is refused from then on", async () => {
    const rotated = await api.request("POST", "/api/projects/shop/webhook-secret", { token: admin, body: {} });
    expect(rotated.status, rotated.text).toBe(200);
    const fresh = (rotated.json as { secret: string }).secret;
    expect(fresh).not.toBe(secret);
    const commit = await remote.commit({ "README.md": "rotated\n" });
    expect((await hook("shop", githubPush(secret, { ref: "refs/heads/main", commit, delivery: "r-old" }))).status).toBe(401);
    expect((await hook("shop", githubPush(fresh, { ref: "refs/heads/main", commit, delivery: "r-new" }))).status).toBe(202);
    secret = fresh;
  });
});

describe("a fetch that fails when the deployment runs", () => {
  it("is the deployment's stored error, with the remote's answer, and ends its events with failed", async () => {
    const queued = await api.request("POST", "/api/projects/shop/environments/test/deployments", { token: admin, body: { ref: "develop" } });
    expect(queued.status, queued.text).toBe(202);
    const id = (queued.json as { id: number }).id;
    renameSync(remote.url, `${remote.url}.moved`);
    try {
      // Every waiting request runs: this one fails at its fetch, the others too.
      for (let claimed = await claimNext(api.app); claimed; claimed = await claimNext(api.app)) await runClaimed(api.app, claimed, { signal: new AbortController().signal });
    } finally {
      renameSync(`${remote.url}.moved`, remote.url);
    }
    const detail = (await api.request("GET", `/api/deployments/${id}`, { token: admin })).json as { status: string; error: string };
    expect(detail.status).toBe("failed");
    expect(detail.error).toMatch(/^could not fetch .*remote\.git: fatal: '.*remote\.git' does not appear to be a git repository/);
    const events = await api.request("GET", `/api/deployments/${id}/events`, { token: admin });
    expect(events.text).toContain("event: failed");
    expect(events.text).toContain("could not fetch");
  });
});
