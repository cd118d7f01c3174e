/** status, releases, logs, prune, unlock and down: an environment's state. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

export function defineEnvironmentCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, envOption, dirOption, fileOption, profileOption } = parts;
  program
    .command("status")
    .description("the live release, its containers and health, the router's route, any drift or interrupted deployment (exit 1 when it reports a problem)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; json?: boolean }) => {
      const { runStatus } = await import("../commands/status.js");
      setExit(await runStatus(await ctx(), flags));
    });

  program
    .command("releases")
    .description("the environment's release history")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; json?: boolean }) => {
      const { runReleases } = await import("../commands/releases.js");
      setExit(await runReleases(await ctx(), flags));
    });

  program
    .command("logs")
    .description("the live release's container logs, or a deployment's stored log")
    .argument("[service]", "only this service")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption("--file <path>"))
    .addOption(profileOption())
    .option("-f, --follow", "keep printing new lines")
    .option("--deployment <n>", "the stored log of deployment N (see slipway releases)")
    .action(async (service: string | undefined, flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; follow?: boolean; deployment?: string }) => {
      const { runLogs } = await import("../commands/logs.js");
      setExit(await runLogs(await ctx(), { ...flags, ...(service ? { service } : {}) }));
    });

  program
    .command("prune")
    .description("remove the project's images, stopped releases and build directories that retention no longer keeps")
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--dry-run", "only list what would go")
    .option("--json", "print JSON")
    .action(async (flags: { dir?: string; file?: string[]; profile?: string[]; dryRun?: boolean; json?: boolean }) => {
      const { runPrune } = await import("../commands/prune.js");
      setExit(await runPrune(await ctx(), flags));
    });

  program
    .command("unlock")
    .description("break the environment's deploy lock, after saying who holds it (a lock whose holder died is taken over on its own)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("-y, --yes", "break it without asking")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; yes?: boolean }) => {
      const { runUnlock } = await import("../commands/unlock.js");
      setExit(await runUnlock(await ctx(), flags));
    });

  program
    .command("down")
    .description("remove the environment's releases, accessories and route (named volumes only with --volumes)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--volumes", "also remove the environment's named volumes (its data)")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; volumes?: boolean }) => {
      const { runDown } = await import("../commands/down.js");
      setExit(await runDown(await ctx(), flags));
    });

}
