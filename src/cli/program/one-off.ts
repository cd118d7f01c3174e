/** run and exec: a person's own command against the live release. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

const EXIT_CODES = `
Exit codes: the command's own; before it starts, 2 when there is no live release, no such
service, or a service this command cannot reach, 4 when the engine or compose is unavailable.`;

type OneOffFlags = { env?: string; dir?: string; file?: string[]; profile?: string[] };

export function defineOneOffCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand } = parts;
  // Options after the service belong to the command (`slipway run web ls -la`).
  program.enablePositionalOptions();
  projectCommand(program, "run")
    .description("run a command in a fresh container from the live release's image of SERVICE, with the environment's variables, volumes and accessories; removed when it exits")
    .argument("<service>", "an app service of the live release, or its release task")
    .argument("[command...]", "the command and its arguments, after -- when they start with a dash (default: the service's own command)")
    .passThroughOptions()
    .addHelpText("after", `${EXIT_CODES}\n\nExample: slipway run --env live web -- python manage.py createsuperuser`)
    .action(async (service: string, command: string[], flags: OneOffFlags) => {
      const { runOneOffCommand } = await import("../commands/one-off.js");
      setExit(await runOneOffCommand(await ctx(), { ...flags, verb: "run", service, command }));
    });

  projectCommand(program, "exec")
    .description("run a command in a running container of the live release's SERVICE, or of an accessory")
    .argument("<service>", "an app service of the live release, or an accessory")
    .argument("<command...>", "the command and its arguments, after -- when they start with a dash")
    .passThroughOptions()
    .addHelpText("after", `${EXIT_CODES}\n\nExample: slipway exec db -- psql -U app`)
    .action(async (service: string, command: string[], flags: OneOffFlags) => {
      const { runOneOffCommand } = await import("../commands/one-off.js");
      setExit(await runOneOffCommand(await ctx(), { ...flags, verb: "exec", service, command }));
    });
}
