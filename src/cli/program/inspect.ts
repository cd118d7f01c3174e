/** check, config, plan and init: reading a project. */
import type { Command } from "commander";
import type { ProjectFlags } from "../context.js";
import type { ProgramParts } from "./parts.js";

export function defineInspectCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand, formatOption } = parts;
  projectCommand(program, "check")
    .description("preflight: report every problem at once (variables, slipway.yml, compose, engine)")
    .action(async (flags: ProjectFlags) => {
      const { runCheck } = await import("../commands/check.js");
      setExit(await runCheck(await ctx(), flags));
    });

  projectCommand(program, "config")
    .description("print the resolved compose model and how Slipway classified each service")
    .addOption(formatOption())
    .action(async (flags: ProjectFlags & { format?: string }) => {
      const { runConfig } = await import("../commands/config.js");
      setExit(await runConfig(await ctx(), flags));
    });

  projectCommand(program, "plan")
    .description("print the compose files a release and the environment's accessories would run with")
    .option("-r, --release <vN>", "release to plan (default: v1)")
    .option("-o, --out <dir>", "also write release.yml, accessories.yml and build.yml into this directory")
    .addOption(formatOption())
    .action(async (flags: ProjectFlags & { release?: string; out?: string; format?: string }) => {
      const { runPlan } = await import("../commands/plan.js");
      setExit(await runPlan(await ctx(), flags));
    });

  projectCommand(program, "init")
    .description("write a commented slipway.yml inferred from the compose files")
    .option("--force", "replace an existing slipway.yml")
    .option("--stdout", "print the file instead of writing it")
    .action(async (flags: ProjectFlags & { force?: boolean; stdout?: boolean }) => {
      const { runInit } = await import("../commands/init.js");
      setExit(await runInit(await ctx(), flags));
    });

}
