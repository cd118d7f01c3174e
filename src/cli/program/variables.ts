/** env list, set, unset, import, export, rotate-key, generate-key. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

export function defineVariableCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, envOption, dirOption, fileOption, profileOption } = parts;
  const env = program.command("env").description("the environment's variables in Slipway's encrypted store (values reach containers at the next deploy)");
  env
    .command("list")
    .description("the environment's variables, masked unless --reveal")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--reveal", "print the values in clear")
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; reveal?: boolean; json?: boolean }) => {
      const { runEnvList } = await import("../commands/env.js");
      setExit(await runEnvList(await ctx(), flags));
    });
  env
    .command("set")
    .description("set variables: KEY=VALUE, KEY=@file (the file's content) or KEY=- (standard input)")
    .argument("<assignments...>", "KEY=VALUE, KEY=@file or KEY=-")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (assignments: string[], flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvSet } = await import("../commands/env.js");
      setExit(await runEnvSet(await ctx(), assignments, flags));
    });
  env
    .command("unset")
    .description("remove variables")
    .argument("<names...>", "variable names")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (names: string[], flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvUnset } = await import("../commands/env.js");
      setExit(await runEnvUnset(await ctx(), names, flags));
    });
  env
    .command("import")
    .description("set every variable of a dotenv file (- for standard input)")
    .argument("<file>", "a dotenv file")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (file: string, flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvImport } = await import("../commands/env.js");
      setExit(await runEnvImport(await ctx(), file, flags));
    });
  env
    .command("export")
    .description("print every variable as a dotenv file (for a backup; needs --reveal)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--reveal", "agree to print the values in clear")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; reveal?: boolean }) => {
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
