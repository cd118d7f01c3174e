/** The git repository a project lives in: which commit it is at, and how to export a commit. */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { CommandNotFoundError, runCommand, type CommandResult } from "./run-command.js";

export interface Head {
  readonly commit: string;
  /** Tracked files under the project directory differ from the commit. */
  readonly dirty: boolean;
}

export interface Git {
  /** HEAD of the repository containing `dir`, or undefined when it is not in one. */
  head(dir: string): Promise<Head | undefined>;
  /** The full commit a ref names; throws E_GIT when it names none. */
  resolve(dir: string, ref: string): Promise<string>;
  /** `dir`'s path inside its repository ("" at the top, else "sub/dir/"). */
  prefix(dir: string): Promise<string>;
  /** A commit of the working tree's tracked changes that touches nothing (git stash create). */
  snapshot(dir: string): Promise<string | undefined>;
  /** Writes exactly the commit's tree (no untracked or ignored file) into `dest`. */
  exportTree(dir: string, commit: string, dest: string): Promise<void>;
  /** The origin remote's URL, for image labels. */
  remoteUrl(dir: string): Promise<string | undefined>;
}

export function createGit(options: { readonly git?: string } = {}): Git {
  const git = options.git ?? "git";
  const run = async (dir: string, args: readonly string[]): Promise<CommandResult> => {
    try {
      return await runCommand(git, ["-C", dir, ...args]);
    } catch (error) {
      if (error instanceof CommandNotFoundError) throw new SlipwayError("E_GIT", "git is not installed: apt-get install git", { cause: error });
      throw error;
    }
  };
  const must = async (dir: string, args: readonly string[], what: string): Promise<string> => {
    const result = await run(dir, args);
    if (result.exitCode !== 0) throw new SlipwayError("E_GIT", `${what}: ${result.stderr.trim() || `git ${args.join(" ")} failed`}`);
    return result.stdout.trim();
  };

  return {
    async head(dir) {
      try {
        const [rev, status] = await Promise.all([
          run(dir, ["rev-parse", "--verify", "-q", "HEAD"]),
          run(dir, ["status", "--porcelain", "--untracked-files=no", "--", "."]),
        ]);
        if (rev.exitCode !== 0) return undefined;
        return { commit: rev.stdout.trim(), dirty: status.stdout.trim() !== "" };
      } catch (error) {
        if (error instanceof SlipwayError) return undefined;
        throw error;
      }
    },
    resolve: (dir, ref) => must(dir, ["rev-parse", "--verify", "-q", `${ref}^{commit}`], `"${ref}" names no commit in this repository`),
    prefix: (dir) => must(dir, ["rev-parse", "--show-prefix"], "not a git repository"),
    async snapshot(dir) {
      const created = await must(dir, ["stash", "create"], "could not snapshot the working tree");
      return created || undefined;
    },
    async exportTree(dir, commit, dest) {
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dest, { recursive: true });
      const archive = join(dest, ".slipway-export.tar");
      // From a subdirectory, git archive would export that subdirectory only: run it at the top.
      const top = await must(dir, ["rev-parse", "--show-toplevel"], "not a git repository");
      await must(top, ["archive", "--format=tar", "-o", archive, commit], `could not export ${commit}`);
      const untar = await runCommand("tar", ["-xf", archive, "-C", dest]);
      rmSync(archive, { force: true });
      if (untar.exitCode !== 0) throw new SlipwayError("E_INTERNAL", `could not unpack ${commit}: ${untar.stderr.trim()}`);
    },
    async remoteUrl(dir) {
      const result = await run(dir, ["remote", "get-url", "origin"]);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
  };
}
