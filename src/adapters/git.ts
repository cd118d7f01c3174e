/** The git repository a project lives in: which commit it is at, and whether it is dirty. */
import { CommandNotFoundError, runCommand } from "./run-command.js";

export interface Head {
  readonly commit: string;
  readonly dirty: boolean;
}

export interface Git {
  /** HEAD of the repository containing `dir`, or undefined when it is not in one. */
  head(dir: string): Promise<Head | undefined>;
}

export function createGit(options: { readonly git?: string } = {}): Git {
  const git = options.git ?? "git";
  return {
    async head(dir) {
      try {
        const [rev, status] = await Promise.all([
          runCommand(git, ["-C", dir, "rev-parse", "--verify", "-q", "HEAD"]),
          runCommand(git, ["-C", dir, "status", "--porcelain", "--untracked-files=no"]),
        ]);
        if (rev.exitCode !== 0) return undefined;
        return { commit: rev.stdout.trim(), dirty: status.stdout.trim() !== "" };
      } catch (error) {
        if (error instanceof CommandNotFoundError) return undefined;
        throw error;
      }
    },
  };
}
