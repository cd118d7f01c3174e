/** check, config, plan and init: reading a project. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

export function defineInspectCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, envOption, dirOption, fileOption, profileOption, formatOption } = parts;
  program
    .command("check")
    .description("preflight: report every problem at once (variables, slipway.yml, compose, engine)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runCheck } = await import("../commands/check.js");
      setExit(await runCheck(await ctx(), flags));
    });

  program
    .command("config")
    .description("print the resolved compose model and how Slipway classified each service")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .addOption(formatOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; format?: string }) => {
      const { runConfig } = await import("../commands/config.js");
      setExit(await runConfig(await ctx(), flags));
    });

  program
    .command("plan")
    .description("print the compose files a release and the environment's accessories would run with")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("-r, --release <vN>", "release to plan (default: v1)")
    .option("-o, --out <dir>", "also write release.yml, accessories.yml and build.yml into this directory")
    .addOption(formatOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; release?: string; out?: string; format?: string }) => {
      const { runPlan } = await import("../commands/plan.js");
      setExit(await runPlan(await ctx(), flags));
    });

  program
    .command("init")
    .description("write a commented slipway.yml inferred from the compose files")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--force", "replace an existing slipway.yml")
    .option("--stdout", "print the file instead of writing it")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; force?: boolean; stdout?: boolean }) => {
      const { runInit } = await import("../commands/init.js");
      setExit(await runInit(await ctx(), flags));
    });

}
