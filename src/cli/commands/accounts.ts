/** `slipway users …` and `slipway tokens …`: the server's accounts, managed on its host. */
import { SlipwayError } from "../../app/errors.js";
import { isRole, type Role } from "../../app/access.js";
import { createToken, listTokens, parseLifetime, revokeToken } from "../../app/tokens.js";
import { addUser, listUsers } from "../../app/users.js";
import { actorOf, type CommandContext } from "../context.js";
import { ago, table } from "../render.js";

function roleOf(text: string): Role {
  if (!isRole(text)) throw new SlipwayError("E_USAGE", `--role ${text}: choose viewer, deployer or admin`);
  return text;
}

/** Who the audit log names for what the CLI does on this host. */
function cliActor(ctx: CommandContext): string {
  return `cli ${actorOf(ctx)}`;
}

export async function runUsersAdd(ctx: CommandContext, flags: { name: string; role: string; passwordStdin?: boolean }): Promise<number> {
  let password: string | undefined;
  if (flags.passwordStdin) {
    if (!ctx.io.readStdin) throw new SlipwayError("E_USAGE", "--password-stdin: standard input cannot be read here");
    password = (await ctx.io.readStdin()).replace(/\r?\n$/, "");
  }
  const added = await addUser(ctx.app, { name: flags.name, role: roleOf(flags.role), actor: cliActor(ctx), ...(password !== undefined ? { password } : {}) });
  ctx.io.stderr(`added ${added.name} (${added.role})\n`);
  // The generated password is printed in clear, once: it is what the user asked for.
  if (added.generatedPassword) (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${added.generatedPassword}\n`);
  return 0;
}

export async function runUsersList(ctx: CommandContext, flags: { json?: boolean }): Promise<number> {
  const users = await listUsers(ctx.app);
  if (flags.json) ctx.io.stdout(`${JSON.stringify(users, null, 2)}\n`);
  else ctx.io.stdout(table([["NAME", "ROLE", "ADDED"], ...users.map((u) => [u.name, u.role, ago(u.createdAt)])]));
  return 0;
}

export async function runTokensCreate(ctx: CommandContext, flags: { role: string; project?: string; expires?: string; description?: string }): Promise<number> {
  const expiresInMs = flags.expires === undefined ? undefined : parseLifetime(flags.expires);
  if (flags.expires !== undefined && expiresInMs === undefined) throw new SlipwayError("E_USAGE", `--expires ${flags.expires}: give a lifetime such as 30d, 12h or 2w`);
  const created = await createToken(ctx.app, {
    role: roleOf(flags.role),
    actor: cliActor(ctx),
    ...(flags.project ? { project: flags.project } : {}),
    ...(expiresInMs !== undefined ? { expiresInMs } : {}),
    ...(flags.description ? { description: flags.description } : {}),
  });
  ctx.io.stderr(`token ${created.id} created${created.expiresAt ? `, valid until ${created.expiresAt.toISOString()}` : ""}: it is shown this once\n`);
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(`${created.token}\n`);
  return 0;
}

export async function runTokensList(ctx: CommandContext, flags: { json?: boolean }): Promise<number> {
  const tokens = await listTokens(ctx.app);
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(tokens, null, 2)}\n`);
    return 0;
  }
  const state = (t: (typeof tokens)[number]): string => (t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? "expired" : t.expiresAt ? `until ${t.expiresAt.toISOString()}` : "until revoked");
  ctx.io.stdout(table([["ID", "ROLE", "PROJECT", "DESCRIPTION", "CREATED", "STATE"], ...tokens.map((t) => [String(t.id), t.role, t.project ?? "(all)", t.description, ago(t.createdAt), state(t)])]));
  return 0;
}

export async function runTokensRevoke(ctx: CommandContext, id: string): Promise<number> {
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1) throw new SlipwayError("E_USAGE", `${id}: give a token's id (slipway tokens list)`);
  await revokeToken(ctx.app, { id: n, actor: cliActor(ctx) });
  ctx.io.stdout(`token ${n} revoked\n`);
  return 0;
}

export function runServeElsewhere(ctx: CommandContext): number {
  ctx.io.stderr("slipway serve runs from the slipway launcher (bin/slipway.js serve); this entry point only parses the other commands\n");
  return 2;
}
