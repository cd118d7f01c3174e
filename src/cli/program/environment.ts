/** status, releases, logs, prune, unlock and down: an environment's state. */
import type { Command } from "commander";
import type { ProjectFlags } from "../context.js";
import type { ProgramParts } from "./parts.js";

export function defineEnvironmentCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, projectCommand, dirOption, fileOption, profileOption } = parts;
  projectCommand(program, "status")
    .description("the live release, its containers and health, the router's route, any drift or interrupted deployment (exit 1 when it reports a problem)")
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags & { json?: boolean }) => {
      const { runStatus } = await import("../commands/status.js");
      setExit(await runStatus(await ctx(), flags));
    });

  projectCommand(program, "releases")
    .description("the environment's release history, newest first")
    .option("--limit <n>", "the newest N releases (default 20; with --json, every one)")
    .option("--all", "every release")
    .option("--json", "print JSON")
    .action(async (flags: ProjectFlags & { json?: boolean; limit?: string; all?: boolean }) => {
      const { runReleases } = await import("../commands/releases.js");
      setExit(await runReleases(await ctx(), flags));
    });

  projectCommand(program, "logs", "--file <path>")
    .description("the live release's container logs, or a deployment's stored log")
    .argument("[service]", "only this service")
    .option("-f, --follow", "keep printing new lines")
    .option("--deployment <n>", "the stored log of deployment N (see slipway releases)")
    .action(async (service: string | undefined, flags: ProjectFlags & { follow?: boolean; deployment?: string }) => {
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

  projectCommand(program, "unlock")
    .description("break the environment's deploy lock, after saying who holds it (a lock whose holder died is taken over on its own)")
    .option("-y, --yes", "break it without asking")
    .action(async (flags: ProjectFlags & { yes?: boolean }) => {
      const { runUnlock } = await import("../commands/unlock.js");
      setExit(await runUnlock(await ctx(), flags));
    });

  projectCommand(program, "down")
    .description("remove the environment's releases, accessories and route (named volumes only with --volumes)")
    .option("--volumes", "also remove the environment's named volumes (its data)")
    .action(async (flags: ProjectFlags & { volumes?: boolean }) => {
      const { runDown } = await import("../commands/down.js");
      setExit(await runDown(await ctx(), flags));
    });

  const certs = program
    .command("certs")
    .description("the certificates this host serves for host names: names, issuer, expiry, last renewal")
    .option("-e, --env <name>", "only this environment's")
    .option("--project <name>", "only this project's")
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; project?: string; json?: boolean }) => {
      const { runCerts } = await import("../commands/certs.js");
      setExit(await runCerts(await ctx(), flags));
    });

  certs
    .command("renew")
    .description("renew the ACME certificates that are due (a third of their lifetime left), in the running router, without a reload; safe to run often")
    .option("-e, --env <name>", "only this environment's")
    .option("--project <name>", "only this project's")
    .option("--force", "renew even those not due")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExit codes: 0 ok (renewed, or nothing due), 1 a renewal failed (the certificate served stays), 4 router unavailable.")
    .action(async (_flags: unknown, command: Command) => {
      const { runCertsRenew } = await import("../commands/certs.js");
      setExit(await runCertsRenew(await ctx(), command.optsWithGlobals()));
    });
}
