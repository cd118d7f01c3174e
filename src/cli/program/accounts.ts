/** users, tokens and serve: who may use `slipway serve`, and the server itself. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

export function defineAccountCommands(program: Command, parts: ProgramParts): void {
  const { ctx, setExit, Option } = parts;
  const role = () => new Option("--role <role>", "viewer: reads; deployer: also deploys, rolls back, promotes, cancels; admin: also variables, users and tokens").choices(["viewer", "deployer", "admin"]).makeOptionMandatory();

  const users = program.command("users").description("the server's users (they sign in to the API: POST /api/session)");
  users
    .command("add")
    .description("add a user: prints a generated password once, or reads one from standard input with --password-stdin")
    .argument("<name>", "the user's name")
    .addOption(role())
    .option("--password-stdin", "read the password from standard input (12 characters or more)")
    .action(async (name: string, flags: { role: string; passwordStdin?: boolean }) => {
      const { runUsersAdd } = await import("../commands/accounts.js");
      setExit(await runUsersAdd(await ctx(), { name, ...flags }));
    });
  users
    .command("list")
    .description("every user and role")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const { runUsersList } = await import("../commands/accounts.js");
      setExit(await runUsersList(await ctx(), flags));
    });

  const tokens = program.command("tokens").description("API tokens for scripts and CI (stored as digests only: the text is shown once)");
  tokens
    .command("create")
    .description("create an API token and print it once")
    .addOption(role())
    .option("--project <name>", "scope it to one project: it sees no other")
    .option("--expires <lifetime>", "such as 30d, 12h or 2w (default: until revoked)")
    .option("--description <text>", "what it is for (listed with it)")
    .action(async (flags: { role: string; project?: string; expires?: string; description?: string }) => {
      const { runTokensCreate } = await import("../commands/accounts.js");
      setExit(await runTokensCreate(await ctx(), flags));
    });
  tokens
    .command("list")
    .description("every API token: id, role, scope, expiry, whether revoked (never its text)")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const { runTokensList } = await import("../commands/accounts.js");
      setExit(await runTokensList(await ctx(), flags));
    });
  tokens
    .command("revoke")
    .description("revoke an API token: requests carrying it are refused from now on")
    .argument("<id>", "the token's id (slipway tokens list)")
    .action(async (id: string) => {
      const { runTokensRevoke } = await import("../commands/accounts.js");
      setExit(await runTokensRevoke(await ctx(), id));
    });

  // The launcher (bin/slipway.js) runs `serve` from the server's own entry point; this says so in
  // the CLI's help, and answers a caller that reached the CLI some other way.
  program
    .command("serve")
    .description("run the JSON API and the deployment queue worker (slipway serve --help for its options)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => {
      const { runServeElsewhere } = await import("../commands/accounts.js");
      setExit(runServeElsewhere(await ctx()));
    });
}
