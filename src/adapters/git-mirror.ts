/**
 * A project deployed from a git URL: a bare mirror of the remote, fetched on demand, and a
 * checkout per deployed commit made from it (a shared clone: the objects stay in the mirror).
 * Credentials reach git through its environment, never its arguments (which any user of the host
 * can read in the process list): an HTTPS token as an `http.extraHeader` given by
 * GIT_CONFIG_COUNT/KEY/VALUE, an SSH key as a 0600 file named in GIT_SSH_COMMAND.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "../core/private-files.js";
import { CommandNotFoundError, runCommand, type CommandResult } from "./run-command.js";

export interface GitCredentials {
  /** An HTTPS access token (GitHub, GitLab, Gitea), sent as Basic auth with `tokenUser`. */
  readonly token?: string;
  /** The user name a token goes with (default: x-access-token, which GitHub wants; GitLab takes oauth2). */
  readonly tokenUser?: string;
  /** An OpenSSH private key (a deploy key). */
  readonly sshKey?: string;
}

export interface MirrorOptions {
  readonly url: string;
  /** The bare mirror's directory. */
  readonly dir: string;
  readonly credentials?: GitCredentials;
  /** Where key files and known_hosts live while git runs (a 0700 directory of Slipway's). */
  readonly scratch: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const FETCH_TIMEOUT_MS = 10 * 60_000;

/**
 * A URL as it may be shown: an http(s) URL without its user info (https://TOKEN@host is how a
 * token often rides in one), any other without a password (ssh://git@host keeps its user).
 */
export function withoutUserInfo(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@]*@/i, "$1***@").replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, "$1:***@");
}

/** Text git printed, with user info of http(s) URLs, passwords of others, and every credential value hidden. */
export function redactGitOutput(text: string, credentials: GitCredentials | undefined): string {
  let out = text.replace(/(https?:\/\/)[^/@\s]*@/gi, "$1***@").replace(/([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/gi, "$1:***@");
  for (const secret of [credentials?.token, credentials?.sshKey]) if (secret) out = out.split(secret).join("***");
  if (credentials?.token) out = out.split(Buffer.from(`${credentials.tokenUser ?? "x-access-token"}:${credentials.token}`).toString("base64")).join("***");
  return out;
}

/** A shell word for GIT_SSH_COMMAND, which git runs through a shell: it holds only paths Slipway made. */
const shellWord = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The environment git runs with for a remote: no prompt ever (a missing credential fails at
 * once), and the credentials; `cleanup` removes the key file.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv, url: string, credentials: GitCredentials | undefined, scratch: string): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" };
  let cleanup = (): void => undefined;
  if (credentials?.token && /^https?:\/\//i.test(url)) {
    const basic = Buffer.from(`${credentials.tokenUser ?? "x-access-token"}:${credentials.token}`).toString("base64");
    Object.assign(env, { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader", GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  if (credentials?.sshKey) {
    mkdirSync(scratch, { recursive: true, mode: PRIVATE_DIR });
    const keyFile = join(scratch, `key-${randomBytes(6).toString("hex")}`);
    writeFileSync(keyFile, credentials.sshKey.endsWith("\n") ? credentials.sshKey : `${credentials.sshKey}\n`, { mode: PRIVATE_FILE });
    const knownHosts = join(dirname(scratch), "known_hosts");
    env.GIT_SSH_COMMAND = ["ssh", "-i", shellWord(keyFile), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", `UserKnownHostsFile=${shellWord(knownHosts)}`].join(" ");
    cleanup = () => rmSync(keyFile, { force: true });
  }
  return { env, cleanup };
}

export interface Mirror {
  /** Makes the mirror on first use, then fetches every branch and tag (and pull-request heads where the host has them). */
  fetch(options: MirrorOptions): Promise<void>;
  /** The branch the remote's HEAD names, if any. */
  defaultBranch(dir: string): Promise<string | undefined>;
  /** The commit a branch, tag or commit names in the mirror, or undefined. */
  resolve(dir: string, ref: string): Promise<string | undefined>;
  /**
   * A checkout of the commit at `dest`, made once (renamed into place whole, so two deployments
   * of one commit never see half of it), with `origin` set to the remote's URL without its user info.
   */
  checkout(mirror: string, commit: string, dest: string, url: string): Promise<void>;
}

export function createMirror(options: { readonly git?: string; readonly env?: NodeJS.ProcessEnv } = {}): Mirror {
  const git = options.git ?? "git";
  const baseEnv = options.env ?? process.env;
  const run = async (args: readonly string[], env: NodeJS.ProcessEnv = baseEnv, extra: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CommandResult> => {
    try {
      return await runCommand(git, args, { env, ...extra });
    } catch (error) {
      if (error instanceof CommandNotFoundError) throw new SlipwayError("E_GIT", "git is not installed: apt-get install git", { cause: error });
      throw error;
    }
  };
  const must = async (args: readonly string[], what: string): Promise<string> => {
    const result = await run(args);
    if (result.exitCode !== 0) throw new SlipwayError("E_GIT", `${what}: ${result.stderr.trim() || `git ${args.join(" ")} failed`}`);
    return result.stdout.trim();
  };

  return {
    async fetch({ url, dir, credentials, scratch, timeoutMs, signal }) {
      if (!existsSync(join(dir, "HEAD"))) {
        mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
        await must(["init", "-q", "--bare", dir], `could not make a mirror in ${dir}`);
        // A mirror's refspec: every ref of the remote, pruned when the remote drops it.
        await must(["-C", dir, "remote", "add", "--mirror=fetch", "origin", url], "could not set the mirror's remote");
      } else {
        await must(["-C", dir, "remote", "set-url", "origin", url], "could not set the mirror's remote");
      }
      const { env, cleanup } = gitEnvironment(baseEnv, url, credentials, scratch);
      try {
        const fetched = await run(["-C", dir, "fetch", "--quiet", "--prune", "--force", "origin"], env, { timeoutMs: timeoutMs ?? FETCH_TIMEOUT_MS, ...(signal ? { signal } : {}) });
        if (fetched.timedOut) throw new SlipwayError("E_GIT", `fetching ${withoutUserInfo(url)} took longer than ${Math.round((timeoutMs ?? FETCH_TIMEOUT_MS) / 1000)} s`);
        if (fetched.exitCode !== 0) {
          const answer = redactGitOutput(fetched.stderr.trim(), credentials) || `git fetch exited with ${fetched.exitCode}`;
          throw new SlipwayError("E_GIT", `could not fetch ${withoutUserInfo(url)}: ${answer}`);
        }
        // The remote's HEAD, to know its default branch (ls-remote --symref: one more round trip, only here).
        const head = await run(["-C", dir, "ls-remote", "--symref", "origin", "HEAD"], env, { timeoutMs: 60_000 });
        const branch = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(head.stdout)?.[1];
        if (branch) await run(["-C", dir, "symbolic-ref", "HEAD", `refs/heads/${branch}`]);
      } finally {
        cleanup();
      }
    },

    async defaultBranch(dir) {
      const result = await run(["-C", dir, "symbolic-ref", "--short", "HEAD"]);
      const branch = result.stdout.trim();
      if (result.exitCode !== 0 || !branch) return undefined;
      return (await this.resolve(dir, branch)) ? branch : undefined;
    },

    async resolve(dir, ref) {
      // A branch before a tag before anything else git can read as a commit.
      for (const candidate of [`refs/heads/${ref}`, `refs/tags/${ref}`, ref]) {
        const result = await run(["-C", dir, "rev-parse", "--verify", "-q", `${candidate}^{commit}`]);
        if (result.exitCode === 0) return result.stdout.trim();
      }
      return undefined;
    },

    async checkout(mirror, commit, dest, url) {
      if (existsSync(join(dest, ".git"))) return;
      mkdirSync(dirname(dest), { recursive: true, mode: PRIVATE_DIR });
      const scratch = `${dest}.checkout-${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        await must(["clone", "--quiet", "--shared", "--no-checkout", mirror, scratch], `could not check out ${commit.slice(0, 12)}`);
        await must(["-C", scratch, "checkout", "--quiet", "--detach", commit], `could not check out ${commit.slice(0, 12)}`);
        await must(["-C", scratch, "remote", "set-url", "origin", withoutUserInfo(url)], "could not set the checkout's remote");
        try {
          renameSync(scratch, dest);
        } catch (error) {
          // Another deployment of the same commit made it first: theirs is the same tree.
          if (!existsSync(join(dest, ".git"))) throw error;
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
