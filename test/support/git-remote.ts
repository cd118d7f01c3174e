/**
 * A project's remote for tests of projects deployed from a git URL: a working repository to
 * commit in, and a bare repository it pushes to, which Slipway fetches as its URL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHmac } from "node:crypto";
import { runCommand } from "../../src/adapters/run-command.js";

export interface GitRemote extends AsyncDisposable {
  /** The bare repository: the URL Slipway is given. */
  readonly url: string;
  readonly work: string;
  /** Writes the files, commits them on `branch` and pushes; the new commit. */
  commit(files: Record<string, string>, options?: { branch?: string; message?: string }): Promise<string>;
  tag(name: string): Promise<void>;
}

async function git(dir: string, args: readonly string[]): Promise<string> {
  const result = await runCommand("git", ["-C", dir, "-c", "user.email=t@slipway.invalid", "-c", "user.name=t", ...args]);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

export async function gitRemote(files: Record<string, string>): Promise<GitRemote> {
  const root = mkdtempSync(join(tmpdir(), "slipway-remote-"));
  const url = join(root, "remote.git");
  const work = join(root, "work");
  mkdirSync(work);
  await git(root, ["init", "-q", "--bare", "-b", "main", url]);
  await git(work, ["init", "-q", "-b", "main"]);
  await git(work, ["remote", "add", "origin", url]);
  const remote: GitRemote = {
    url,
    work,
    async commit(changed, options = {}) {
      const branch = options.branch ?? "main";
      const current = await git(work, ["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "main");
      if (current !== branch) await git(work, ["checkout", "-q", "-B", branch]);
      for (const [path, content] of Object.entries(changed)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      await git(work, ["add", "-A"]);
      await git(work, ["commit", "-q", "--allow-empty", "-m", options.message ?? "change"]);
      await git(work, ["push", "-q", "-f", "origin", `HEAD:refs/heads/${branch}`]);
      return git(work, ["rev-parse", "HEAD"]);
    },
    async tag(name) {
      await git(work, ["tag", name]);
      await git(work, ["push", "-q", "origin", `refs/tags/${name}`]);
    },
    [Symbol.asyncDispose]() {
      rmSync(root, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
  await remote.commit(files, { message: "first" });
  return remote;
}

/** A GitHub push delivery of `commit` to `ref`, signed with `secret` as GitHub signs it. */
export function githubPush(secret: string, options: { ref: string; commit: string; delivery: string; event?: string; payload?: Record<string, unknown> }): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(options.payload ?? { ref: options.ref, before: "0".repeat(40), after: options.commit, sender: { login: "ann" } });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": options.event ?? "push",
      "x-github-delivery": options.delivery,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  };
}
