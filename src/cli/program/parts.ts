/** What every command definition shares: the context, the exit code, and the common options. */
import type { Command, Option as CommanderOption } from "commander";
import type { CommandContext } from "../context.js";

export interface ProgramParts {
  readonly ctx: () => Promise<CommandContext>;
  readonly setExit: (code: number) => void;
  readonly Option: typeof CommanderOption;
  readonly envOption: () => CommanderOption;
  readonly dirOption: () => CommanderOption;
  /** `-f, --file`, repeatable; `logs` takes `--file` alone (its -f follows, as in docker and compose). */
  readonly fileOption: (flags?: string) => CommanderOption;
  readonly profileOption: () => CommanderOption;
  readonly formatOption: () => CommanderOption;
  /** A subcommand of `parent` that acts on a project: -e, -C, -f (or `fileFlags`) and --profile. */
  readonly projectCommand: (parent: Command, name: string, fileFlags?: string) => Command;
}

export function programParts(Option: typeof CommanderOption, ctx: ProgramParts["ctx"], setExit: ProgramParts["setExit"]): ProgramParts {
  const repeatable = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
  const envOption = (): CommanderOption => new Option("-e, --env <name>", "environment (default: the one slipway.yml marks default, else production)");
  const dirOption = (): CommanderOption => new Option("-C, --dir <path>", "project directory (default: the current directory)");
  const fileOption = (flags = "-f, --file <path>"): CommanderOption =>
    new Option(flags, "a compose file, relative to the project directory; repeat for several, in merge order (default: slipway.yml's compose:, else COMPOSE_FILE, else inferred)").argParser(repeatable);
  const profileOption = (): CommanderOption =>
    new Option("--profile <name>", "a compose profile to enable; repeat for several (default: slipway.yml's profiles:, else COMPOSE_PROFILES, else every service)").argParser(repeatable);
  return {
    ctx,
    setExit,
    Option,
    envOption,
    dirOption,
    fileOption,
    profileOption,
    formatOption: () => new Option("--format <format>", "output format").choices(["yaml", "json"]).default("yaml"),
    projectCommand: (parent, name, fileFlags) => parent.command(name).addOption(envOption()).addOption(dirOption()).addOption(fileOption(fileFlags)).addOption(profileOption()),
  };
}
