/**
 * `slipway notifications …` and `slipway statuses …`: what a project's deployments report
 * outside, managed on the server's host. A notification secret is printed once, when its target
 * is added; a provider's token is read from standard input and never printed.
 */
import {
  addNotificationTarget,
  listNotificationTargets,
  notificationAttempts,
  removeNotificationTarget,
  removeStatusTarget,
  setStatusTarget,
  showStatusTarget,
  SlipwayError,
  type NotificationAttemptView,
  type StatusReportView,
} from "../../app/index.js";
import { actorOf, type CommandContext } from "../context.js";
import { ago, table } from "../render.js";

const cliActor = (ctx: CommandContext): string => `cli ${actorOf(ctx)}`;
const json = (ctx: CommandContext, data: unknown): number => (ctx.io.stdout(`${JSON.stringify(data, null, 2)}\n`), 0);

function positiveId(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new SlipwayError("E_USAGE", `${text}: give ${what}`);
  return n;
}

export async function runNotificationsAdd(ctx: CommandContext, project: string, url: string): Promise<number> {
  const added = await addNotificationTarget(ctx.app, { project, url, actor: cliActor(ctx) });
  ctx.io.stderr(`notification target ${added.id} added: ${added.url} gets an event when a deployment of ${project} ends, signed with this secret (X-Slipway-Signature), shown this once\n`);
  // Printed in clear, once, on standard output alone: what the receiver needs to check signatures.
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${added.secret}\n`);
  return 0;
}

export async function runNotificationsList(ctx: CommandContext, project: string, flags: { json?: boolean }): Promise<number> {
  const targets = await listNotificationTargets(ctx.app, project);
  if (flags.json) return json(ctx, targets);
  if (targets.length === 0) ctx.io.stdout(`${project} notifies no URL (slipway notifications add ${project} URL)\n`);
  else ctx.io.stdout(table([["ID", "URL", "ADDED", "BY"], ...targets.map((t) => [String(t.id), t.url, ago(t.createdAt), t.actor])]));
  return 0;
}

export async function runNotificationsRemove(ctx: CommandContext, project: string, id: string): Promise<number> {
  const n = positiveId(id, `a notification target's id (slipway notifications list ${project})`);
  await removeNotificationTarget(ctx.app, { project, id: n, actor: cliActor(ctx) });
  ctx.io.stdout(`notification target ${n} removed\n`);
  return 0;
}

/** "200 in 12 ms", "HTTP 503 …", "fetch failed (ECONNREFUSED)". */
function result(a: { httpStatus?: number; error?: string; durationMs: number }): string {
  return a.error ?? `${a.httpStatus ?? "-"} in ${a.durationMs} ms`;
}

export async function runNotificationsAttempts(ctx: CommandContext, project: string, flags: { json?: boolean; limit?: string }): Promise<number> {
  const limit = flags.limit === undefined ? 50 : positiveId(flags.limit, "a number of attempts");
  const attempts: NotificationAttemptView[] = await notificationAttempts(ctx.app, { project, limit });
  if (flags.json) return json(ctx, attempts);
  if (attempts.length === 0) ctx.io.stdout(`no event of ${project} was delivered yet\n`);
  else ctx.io.stdout(table([["AT", "DEPLOYMENT", "EVENT", "TARGET", "ATTEMPT", "RESULT"], ...attempts.map((a) => [ago(a.at), String(a.deploymentId), a.event, `${a.targetId} ${a.url}`, String(a.attempt), result(a)])]));
  return 0;
}

export async function runStatusesSet(ctx: CommandContext, project: string, flags: { provider: string; repository: string; api?: string; tokenStdin?: boolean }): Promise<number> {
  if (!flags.tokenStdin) throw new SlipwayError("E_USAGE", "give the provider's token on standard input with --token-stdin (an argument would stay in the shell's history)");
  if (!ctx.io.readStdin) throw new SlipwayError("E_USAGE", "--token-stdin: standard input cannot be read here");
  const token = (await ctx.io.readStdin()).trim();
  const set = await setStatusTarget(ctx.app, { project, provider: flags.provider, repository: flags.repository, token, actor: cliActor(ctx), ...(flags.api ? { api: flags.api } : {}) });
  ctx.io.stdout(`${project}'s deployments are reported as commit statuses to ${set.provider} ${set.repository} (${set.apiUrl})\n`);
  return 0;
}

function reportRows(reports: readonly StatusReportView[]): string {
  return table([["AT", "DEPLOYMENT", "STATE", "ATTEMPT", "RESULT"], ...reports.map((r) => [ago(r.at), String(r.deploymentId), r.state, String(r.attempt), result(r)])]);
}

export async function runStatusesShow(ctx: CommandContext, project: string, flags: { json?: boolean; reports?: string }): Promise<number> {
  const limit = flags.reports === undefined ? 10 : positiveId(flags.reports, "a number of reports");
  const shown = await showStatusTarget(ctx.app, { project, limit });
  if (flags.json) return json(ctx, { target: shown.target ?? null, reports: shown.reports });
  const { target } = shown;
  ctx.io.stdout(target ? `${target.provider} ${target.repository} (${target.apiUrl}), set ${ago(target.createdAt)} by ${target.actor}\n` : `${project} reports no commit statuses (slipway statuses set ${project} --help)\n`);
  if (shown.reports.length > 0) ctx.io.stdout(`\n${reportRows(shown.reports)}`);
  return 0;
}

export async function runStatusesRemove(ctx: CommandContext, project: string): Promise<number> {
  await removeStatusTarget(ctx.app, { project, actor: cliActor(ctx) });
  ctx.io.stdout(`${project} no longer reports commit statuses; its token is deleted\n`);
  return 0;
}
