/** `slipway projects …` and `slipway webhooks …`: the server's projects, managed on its host. */
import { isAbsolute, resolve } from "node:path";
import { addGitProject, deployKeyOf, listProjects, registerProject, rotateWebhookSecret, SlipwayError, webhookDeliveries, type Principal } from "../../app/index.js";
import { actorOf, type CommandContext } from "../context.js";
import { ago, table } from "../render.js";

/** The host's own user: what the CLI does here, it does as an admin of every project. */
function hostPrincipal(ctx: CommandContext): Principal {
  return { actor: `cli ${actorOf(ctx)}`, role: "admin", kind: "api", tokenId: 0 };
}

export interface ProjectsAddFlags {
  readonly name: string;
  readonly git?: string;
  readonly path?: string;
  readonly branch?: string;
  readonly tokenStdin?: boolean;
  readonly tokenUser?: string;
  readonly json?: boolean;
}

export async function runProjectsAdd(ctx: CommandContext, flags: ProjectsAddFlags): Promise<number> {
  if ((flags.git === undefined) === (flags.path === undefined)) throw new SlipwayError("E_USAGE", "give either --git URL or --path DIR");
  const actor = hostPrincipal(ctx).actor;
  if (flags.path !== undefined) {
    const path = isAbsolute(flags.path) ? flags.path : resolve(ctx.io.cwd, flags.path);
    const project = await registerProject(ctx.app, { name: flags.name, path, actor });
    if (flags.json) ctx.io.stdout(`${JSON.stringify(project, null, 2)}\n`);
    else ctx.io.stderr(`registered ${project.name} at ${project.path}: ${project.environments.join(", ")}\n`);
    return 0;
  }
  let token: string | undefined;
  if (flags.tokenStdin) {
    if (!ctx.io.readStdin) throw new SlipwayError("E_USAGE", "--token-stdin: standard input cannot be read here");
    token = (await ctx.io.readStdin()).trim();
    if (!token) throw new SlipwayError("E_USAGE", "--token-stdin: standard input held no token");
  }
  const added = await addGitProject(ctx.app, { name: flags.name, url: flags.git as string, actor, ...(flags.branch ? { branch: flags.branch } : {}), ...(token ? { token } : {}), ...(flags.tokenUser ? { tokenUser: flags.tokenUser } : {}) });
  if (flags.json) {
    (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${JSON.stringify(added, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `registered ${added.name} from ${added.git.url}${added.environments.length ? `: ${added.environments.join(", ")}` : ""}`,
    `webhook: POST ${added.webhook.url ?? `<this server>${added.webhook.path}`} (content type application/json; the secret below is shown this once)`,
  ];
  if (added.publicKey) lines.push(`deploy key (add it to the repository, read access): ${added.publicKey}`);
  if (added.fetchError) lines.push(`the first fetch failed: ${added.fetchError}`, "add the deploy key, then push or deploy: the next fetch uses it");
  ctx.io.stderr(`${lines.join("\n")}\n`);
  // The secret in clear, once: it is what the provider's webhook settings need.
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${added.webhook.secret}\n`);
  return 0;
}

export async function runProjectsList(ctx: CommandContext, flags: { json?: boolean }): Promise<number> {
  const projects = await listProjects(ctx.app, hostPrincipal(ctx));
  if (flags.json) ctx.io.stdout(`${JSON.stringify(projects, null, 2)}\n`);
  else if (projects.length === 0) ctx.io.stdout("no projects: slipway projects add NAME --git URL\n");
  else ctx.io.stdout(table([["NAME", "FROM", "ENVIRONMENTS"], ...projects.map((p) => [p.name, p.git ? `${p.git.url}${p.git.branch ? ` (${p.git.branch})` : ""}` : p.path, p.environments.join(", ")])]));
  return 0;
}

export async function runProjectsKey(ctx: CommandContext, name: string): Promise<number> {
  ctx.io.stdout(`${await deployKeyOf(ctx.app, hostPrincipal(ctx), name)}\n`);
  return 0;
}

export async function runWebhooksRotate(ctx: CommandContext, project: string): Promise<number> {
  const rotated = await rotateWebhookSecret(ctx.app, hostPrincipal(ctx), project);
  ctx.io.stderr(`new webhook secret for ${project} (${rotated.url ?? rotated.path}): set it in the provider's webhook settings; it is shown this once\n`);
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${rotated.secret}\n`);
  return 0;
}

export async function runWebhookDeliveries(ctx: CommandContext, project: string, flags: { limit?: string; json?: boolean }): Promise<number> {
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new SlipwayError("E_USAGE", `--limit ${flags.limit}: give a number from 1 to 500`);
  const list = await webhookDeliveries(ctx.app, hostPrincipal(ctx), project, limit);
  if (flags.json) ctx.io.stdout(`${JSON.stringify(list, null, 2)}\n`);
  else if (list.length === 0) ctx.io.stdout(`no deliveries yet: point the provider's webhook at /hooks/${project}\n`);
  else ctx.io.stdout(table([["WHEN", "PROVIDER", "EVENT", "DELIVERY", "STATUS", "VERDICT"], ...list.map((d) => [ago(d.receivedAt), d.provider, d.event, d.delivery || "-", String(d.status), d.verdict])]));
  return 0;
}
