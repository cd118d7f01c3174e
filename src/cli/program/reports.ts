/** notifications and statuses: what a project's deployments report outside. */
import type { Command } from "commander";
import type { ProgramParts } from "./parts.js";

const NOTIFICATIONS_HELP = `
Each target gets a POST of a JSON event when a deployment of the project ends
(deployment.live, deployment.failed, deployment.cancelled), with the headers
X-Slipway-Event, X-Slipway-Delivery (one id per event, the same on each retry) and
X-Slipway-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the target's secret>.
A delivery that fails (no answer within 10 s, or not 2xx) is tried again after 1 s, 2 s, 4 s
and 8 s. Set SLIPWAY_PUBLIC_URL to the server's URL for the event to link to the deployment.`;

const STATUSES_HELP = `
A deployment of a known commit is shown on it as pending when it is queued, then as
success, failure or error (GitLab: canceled), named slipway/<environment>, linking to the
deployment when SLIPWAY_PUBLIC_URL is set. GitHub also gets a deployment of the commit
to the environment, with its statuses. The token is read from standard input, stored
encrypted with the master key, and never shown again.`;

function defineNotifications(program: Command, { ctx, setExit }: ProgramParts): void {
  const notifications = program.command("notifications").description("URLs that get a signed JSON event when a deployment of a project ends").addHelpText("after", NOTIFICATIONS_HELP);
  notifications
    .command("add")
    .description("notify a URL: prints the secret its deliveries are signed with, once")
    .argument("<project>", "the project's name")
    .argument("<url>", "http:// or https://")
    .action(async (project: string, url: string) => {
      const { runNotificationsAdd } = await import("../commands/reports.js");
      setExit(await runNotificationsAdd(await ctx(), project, url));
    });
  notifications
    .command("list")
    .description("the project's notified URLs (never their secrets)")
    .argument("<project>", "the project's name")
    .option("--json", "print JSON")
    .action(async (project: string, flags: { json?: boolean }) => {
      const { runNotificationsList } = await import("../commands/reports.js");
      setExit(await runNotificationsList(await ctx(), project, flags));
    });
  notifications
    .command("remove")
    .description("stop notifying a URL")
    .argument("<project>", "the project's name")
    .argument("<id>", "the target's id (slipway notifications list)")
    .action(async (project: string, id: string) => {
      const { runNotificationsRemove } = await import("../commands/reports.js");
      setExit(await runNotificationsRemove(await ctx(), project, id));
    });
  notifications
    .command("attempts")
    .description("every try to deliver an event, newest first: its HTTP status or error")
    .argument("<project>", "the project's name")
    .option("--limit <n>", "how many (default 50)")
    .option("--json", "print JSON")
    .action(async (project: string, flags: { json?: boolean; limit?: string }) => {
      const { runNotificationsAttempts } = await import("../commands/reports.js");
      setExit(await runNotificationsAttempts(await ctx(), project, flags));
    });
}

function defineStatuses(program: Command, { ctx, setExit, Option }: ProgramParts): void {
  const statuses = program.command("statuses").description("report a project's deployments as commit statuses to GitHub, GitLab or Gitea").addHelpText("after", STATUSES_HELP);
  statuses
    .command("set")
    .description("where to report: a provider, a repository, its API, and a token read from standard input")
    .argument("<project>", "the project's name")
    .addOption(new Option("--provider <provider>", "the git host").choices(["github", "gitlab", "gitea"]).makeOptionMandatory())
    .addOption(new Option("--repository <repository>", "OWNER/NAME; GitLab: the project's path (GROUP/NAME) or numeric id").makeOptionMandatory())
    .option("--api <url>", "the API's base URL (default: https://api.github.com, https://gitlab.com/api/v4; Gitea needs it, such as https://git.example.com/api/v1)")
    .option("--token-stdin", "read the provider's API token from standard input (GitHub: write access to commit statuses and deployments; GitLab: the api scope; Gitea: write access to the repository)")
    .action(async (project: string, flags: { provider: string; repository: string; api?: string; tokenStdin?: boolean }) => {
      const { runStatusesSet } = await import("../commands/reports.js");
      setExit(await runStatusesSet(await ctx(), project, flags));
    });
  statuses
    .command("show")
    .description("where the project reports (never the token) and its newest reports")
    .argument("<project>", "the project's name")
    .option("--reports <n>", "how many reports (default 10)")
    .option("--json", "print JSON")
    .action(async (project: string, flags: { json?: boolean; reports?: string }) => {
      const { runStatusesShow } = await import("../commands/reports.js");
      setExit(await runStatusesShow(await ctx(), project, flags));
    });
  statuses
    .command("remove")
    .description("stop reporting commit statuses (the token is deleted)")
    .argument("<project>", "the project's name")
    .action(async (project: string) => {
      const { runStatusesRemove } = await import("../commands/reports.js");
      setExit(await runStatusesRemove(await ctx(), project));
    });
}

export function defineReportCommands(program: Command, parts: ProgramParts): void {
  defineNotifications(program, parts);
  defineStatuses(program, parts);
}
