/** accessories, and its up, restart and logs: the backing services a deploy starts once and never changes. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

type Flags = { env?: string; dir?: string; file?: string[]; profile?: string[] };

const EXIT_CODES = `
Exit codes: 0 ok, 1 the accessory did not come back, 2 bad input (no such accessory, or no
--yes without a terminal to ask on), 3 environment locked, 4 engine or compose unavailable.`;

export function defineAccessoryCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand } = parts;
  // `accessories -e live up db` and `accessories up db -e live` say the same.
  const flagsOf = (command: Command): Flags => command.optsWithGlobals();

  const accessories = projectCommand(program, "accessories")
    .description("the environment's accessories: image, state, health, and how what runs differs from the compose files now (drift)")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExit codes: 0 ok, 2 bad input, 4 engine or compose unavailable.")
    .action(async (flags: Flags & { json?: boolean }) => {
      const { runAccessories } = await import("../commands/accessories.js");
      setExit(await runAccessories(await ctx(), flags));
    });

  projectCommand(accessories, "up").description("recreate an accessory to match the compose files (named volumes kept); a deploy never does")
    .argument("<name>", "the accessory, such as db")
    .option("-y, --yes", "recreate it without asking")
    .addHelpText("after", EXIT_CODES)
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { runAccessoryUp } = await import("../commands/accessories.js");
      setExit(await runAccessoryUp(await ctx(), { ...flagsOf(command), name }));
    });

  projectCommand(accessories, "restart").description("restart an accessory's container as it is (nothing recreated)")
    .argument("<name>", "the accessory, such as db")
    .addHelpText("after", EXIT_CODES)
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { runAccessoryRestart } = await import("../commands/accessories.js");
      setExit(await runAccessoryRestart(await ctx(), { ...flagsOf(command), name }));
    });

  // As on `logs`, -f follows; the compose file option is --file alone.
  projectCommand(accessories, "logs", "--file <path>").description("an accessory's container output")
    .argument("<name>", "the accessory, such as db")
    .option("-f, --follow", "keep printing new lines")
    .addHelpText("after", "\nExit codes: 0 ok, 2 no such accessory, 4 engine unavailable.")
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { runAccessoryLogs } = await import("../commands/accessories.js");
      setExit(await runAccessoryLogs(await ctx(), { ...flagsOf(command), name }));
    });
}
