/** projects and webhooks: what `slipway serve` deploys, registered on its host. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

export function defineProjectCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit } = parts;
  const projects = program.command("projects").description("the projects slipway serve deploys: checkouts on this host, or git URLs it fetches itself");
  projects
    .command("add")
    .description("register a project by git URL (prints its webhook address and secret once) or by the path of a checkout")
    .argument("<name>", "the project's name (lowercase letters, digits, - and _)")
    .option("--git <url>", "a URL git can fetch: https, ssh (a deploy key is made: slipway projects key prints it) or a local path")
    .option("--path <dir>", "the absolute path of a checkout on this host, instead of --git")
    .option("--branch <branch>", "with --git: the branch deployed when an environment names none (default: the remote's HEAD)")
    .option("--token-stdin", "with an https URL: read an access token from standard input (stored encrypted)")
    .option("--token-user <user>", "the user name the token goes with (default x-access-token; GitLab: oauth2)")
    .option("--json", "print JSON")
    .action(async (name: string, flags: { git?: string; path?: string; branch?: string; tokenStdin?: boolean; tokenUser?: string; json?: boolean }) => {
      const { runProjectsAdd } = await import("../commands/projects.js");
      setExit(await runProjectsAdd(await ctx(), { name, ...flags }));
    });
  projects
    .command("list")
    .description("every registered project: where it comes from, its environments")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const { runProjectsList } = await import("../commands/projects.js");
      setExit(await runProjectsList(await ctx(), flags));
    });
  projects
    .command("key")
    .description("print the public half of the deploy key of a project fetched over SSH: add it to the repository (read access is enough)")
    .argument("<name>", "the project")
    .action(async (name: string) => {
      const { runProjectsKey } = await import("../commands/projects.js");
      setExit(await runProjectsKey(await ctx(), name));
    });

  const webhooks = program.command("webhooks").description("the webhooks git providers send to slipway serve (POST /hooks/<project>)");
  webhooks
    .command("rotate")
    .description("make a new webhook secret and print it once: deliveries signed with the old one are refused from now on")
    .argument("<project>", "the project")
    .action(async (project: string) => {
      const { runWebhooksRotate } = await import("../commands/projects.js");
      setExit(await runWebhooksRotate(await ctx(), project));
    });
  webhooks
    .command("deliveries")
    .description("the project's webhook deliveries, newest first: what each did, or why it did nothing")
    .argument("<project>", "the project")
    .option("--limit <n>", "how many (default 20)")
    .option("--json", "print JSON")
    .action(async (project: string, flags: { limit?: string; json?: boolean }) => {
      const { runWebhookDeliveries } = await import("../commands/projects.js");
      setExit(await runWebhookDeliveries(await ctx(), project, flags));
    });
}
