/** build, deploy, promote and rollback: the pipeline's commands (all but build make a release live). */
import type { Command } from "commander";
import type { ProjectFlags } from "../context.js";
import type { ProgramParts } from "./parts.js";

export function defineDeployCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand, dirOption, fileOption, profileOption, Option } = parts;
  projectCommand(program, "deploy")
    .description("build, release and switch to a new release of the environment, with zero downtime")
    .option("--ref <ref>", "commit, branch or tag to deploy (default: the environment's branch, else HEAD)")
    .option("--no-cache", "build without Docker's layer cache")
    .option("--cache", "build with Docker's layer cache (the default)")
    .option("--allow-dirty", "deploy uncommitted changes (the build is tagged -dirty)")
    .addOption(new Option("--build-mode <mode>", "auto: re-use a build of the same commit from any environment; reuse: fail without one; force: always build, without cache").choices(["auto", "reuse", "force"]).default("auto"))
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (flags: ProjectFlags & { ref?: string; cache?: boolean; allowDirty?: boolean; buildMode?: string; wait?: boolean; json?: boolean }) => {
      const { runDeploy } = await import("../commands/deploy.js");
      setExit(await runDeploy(await ctx(), flags));
    });

  projectCommand(program, "build")
    .description("build and record a commit's images as a deploy would (same build keys, labels and cache), changing nothing that runs; a later deploy of the commit reuses them")
    .option("--ref <ref>", "commit, branch or tag to build (default: the environment's branch, else HEAD)")
    .option("--no-cache", "build without Docker's layer cache")
    .option("--cache", "build with Docker's layer cache (the default)")
    .option("--force", "build again, without cache, even when the commit's images exist")
    .option("--allow-dirty", "build uncommitted changes (tagged -dirty; a deploy of the commit does not reuse it)")
    .option("--json", "print one JSON event per line")
    .addHelpText("after", "\nExit codes: 0 built (or already built), 1 the build failed, 2 bad input, 4 engine or compose unavailable.")
    .action(async (flags: ProjectFlags & { ref?: string; cache?: boolean; force?: boolean; allowDirty?: boolean; json?: boolean }) => {
      const { runBuild } = await import("../commands/build.js");
      setExit(await runBuild(await ctx(), flags));
    });

  program
    .command("promote")
    .description("deploy to <to-env> the build <from-env> runs now, with <to-env>'s own variables, accessories and routes: never a rebuild")
    .argument("<from-env>", "the environment whose live build is promoted, such as test")
    .argument("<to-env>", "the environment it goes to, such as live")
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (from: string, to: string, flags: { dir?: string; file?: string[]; profile?: string[]; wait?: boolean; json?: boolean }) => {
      const { runPromote } = await import("../commands/deploy.js");
      setExit(await runPromote(await ctx(), { ...flags, from, to }));
    });

  projectCommand(program, "rollback")
    .description("make an earlier release live again (default: the one before the live one), without rebuilding")
    .argument("[release]", "the release to return to, such as v5")
    .option("--with-release", "also run the release task of that release (it is skipped by default)")
    .option("--current-vars", "run it with the environment's current variables instead of those it ran with")
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (target: string | undefined, flags: ProjectFlags & { withRelease?: boolean; currentVars?: boolean; wait?: boolean; json?: boolean }) => {
      const { runRollback } = await import("../commands/deploy.js");
      setExit(await runRollback(await ctx(), { ...flags, ...(target ? { target } : {}) }));
    });

}
