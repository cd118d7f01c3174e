/** env list, set, unset, import, export, rotate-key, generate-key. */
import type { Command } from "commander";
import type { ProjectFlags } from "../context.js";
import type { ProgramParts } from "./parts.js";

export function defineVariableCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand } = parts;
  const env = program.command("env").description("the environment's variables in Slipway's encrypted store (values reach containers at the next deploy)");
  projectCommand(env, "list")
    .description("the environment's variables, masked unless --reveal")
    .option("--reveal", "print the values in clear")
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags & { reveal?: boolean; json?: boolean }) => {
      const { runEnvList } = await import("../commands/env.js");
      setExit(await runEnvList(await ctx(), flags));
    });
  projectCommand(env, "set")
    .description("set variables: KEY=VALUE, KEY=@file (the file's content) or KEY=- (standard input)")
    .argument("<assignments...>", "KEY=VALUE, KEY=@file or KEY=-")
    .action(async (assignments: string[], flags: ProjectFlags) => {
      const { runEnvSet } = await import("../commands/env.js");
      setExit(await runEnvSet(await ctx(), assignments, flags));
    });
  projectCommand(env, "unset")
    .description("remove variables")
    .argument("<names...>", "variable names")
    .action(async (names: string[], flags: ProjectFlags) => {
      const { runEnvUnset } = await import("../commands/env.js");
      setExit(await runEnvUnset(await ctx(), names, flags));
    });
  projectCommand(env, "import")
    .description("set every variable of a dotenv file (- for standard input)")
    .argument("<file>", "a dotenv file")
    .action(async (file: string, flags: ProjectFlags) => {
      const { runEnvImport } = await import("../commands/env.js");
      setExit(await runEnvImport(await ctx(), file, flags));
    });
  projectCommand(env, "export")
    .description("print every variable as a dotenv file (for a backup; needs --reveal)")
    .option("--reveal", "agree to print the values in clear")
    .action(async (flags: ProjectFlags & { reveal?: boolean }) => {
      const { runEnvExport } = await import("../commands/env.js");
      setExit(await runEnvExport(await ctx(), flags));
    });
  env
    .command("rotate-key")
    .description("re-encrypt every stored value under a new master key")
    .action(async () => {
      const { runEnvRotateKey } = await import("../commands/env.js");
      setExit(await runEnvRotateKey(await ctx()));
    });
  env
    .command("generate-key")
    .description("print a new random master key (for SLIPWAY_MASTER_KEY)")
    .action(async () => {
      const { runEnvGenerateKey } = await import("../commands/env.js");
      setExit(runEnvGenerateKey(await ctx()));
    });

}
