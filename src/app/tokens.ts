/**
 * API tokens and sessions: random text shown once, stored as its SHA-256 digest only (a token
 * carries 256 random bits, so a fast digest is enough; passwords, chosen by people, get scrypt).
 * Every creation and revocation goes into the audit log.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { SlipwayError } from "../core/errors.js";
import type { Role, TokenRow } from "../store/server-types.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";
import { verifyPassword } from "./passwords.js";

export type { TokenRow } from "../store/server-types.js";

const API_PREFIX = "slw_";
const SESSION_PREFIX = "sls_";
/** A session lasts a working day. */
export const SESSION_MS = 12 * 3600_000;

const LIFETIME_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30d", "12h", "2w" in milliseconds; undefined when it is not one. */
export function parseLifetime(text: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  const unit = match?.[2];
  return match && unit ? Number(match[1]) * (LIFETIME_UNITS[unit] ?? 0) : undefined;
}

export function tokenDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The CSRF token of a session: derived from the session's secret text, so that the server keeps
 * nothing more, and only a page that could read a signed-in answer (same origin) knows it. A
 * cross-site form or script can send the cookie, but not this header.
 */
export function csrfTokenOf(sessionText: string): string {
  return createHash("sha256").update(`slipway csrf\n${sessionText}`).digest("base64url");
}

/** Whether a request's CSRF header is its session's token. */
export function csrfMatches(sessionText: string, header: string | readonly string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  const expected = Buffer.from(csrfTokenOf(sessionText));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function newTokenText(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export interface CreateTokenRequest {
  readonly role: Role;
  readonly project?: string;
  /** How long it lasts, in milliseconds; none: until revoked. */
  readonly expiresInMs?: number;
  readonly description?: string;
  readonly actor: string;
}

export interface CreatedToken {
  readonly id: number;
  /** The token's text: shown once, never stored. */
  readonly token: string;
  readonly expiresAt?: Date;
}

export async function createToken(app: App, request: CreateTokenRequest): Promise<CreatedToken> {
  const { store } = await app.deps();
  if (request.project !== undefined && !(await store.project(request.project))) throw new SlipwayError("E_NOT_FOUND", `no project named ${request.project}: register it first`);
  const token = newTokenText(API_PREFIX);
  const expiresAt = request.expiresInMs !== undefined ? new Date(app.clock.now() + request.expiresInMs) : undefined;
  const description = request.description ?? `${request.role}${request.project ? ` of ${request.project}` : ""}`;
  const id = await store.createToken({ digest: tokenDigest(token), kind: "api", role: request.role, description, ...(request.project ? { project: request.project } : {}), ...(expiresAt ? { expiresAt } : {}) });
  await store.audit({ actor: request.actor, action: "token.create", ...(request.project ? { project: request.project } : {}), detail: { id, role: request.role, description, expiresAt: expiresAt?.toISOString() ?? null } });
  return { id, token, ...(expiresAt ? { expiresAt } : {}) };
}

export async function listTokens(app: App): Promise<TokenRow[]> {
  return (await app.deps()).store.tokens();
}

export async function revokeToken(app: App, request: { id: number; actor: string }): Promise<void> {
  const { store } = await app.deps();
  const revoked = await store.revokeToken(request.id);
  forget(app);
  if (!revoked) throw new SlipwayError("E_NOT_FOUND", `no live API token ${request.id}`);
  await store.audit({ actor: request.actor, action: "token.revoke", detail: { id: request.id } });
}

/**
 * Tokens read in the last second, per application: a busy client would otherwise cost a read of
 * the store per request. A revocation through this application clears them at once; one made by
 * another process (the CLI, a second server) takes effect within a second. Misses are not kept.
 */
const REMEMBER_MS = 1000;
const REMEMBER_AT_MOST = 1000;
const remembered = new WeakMap<App, Map<string, { row: TokenRow; at: number }>>();

async function tokenRow(app: App, digest: string): Promise<TokenRow | undefined> {
  const known = remembered.get(app) ?? new Map<string, { row: TokenRow; at: number }>();
  remembered.set(app, known);
  const hit = known.get(digest);
  if (hit && app.clock.now() - hit.at < REMEMBER_MS) return hit.row;
  const row = await (await app.deps()).store.tokenByDigest(digest);
  if (known.size >= REMEMBER_AT_MOST) known.clear();
  if (row) known.set(digest, { row, at: app.clock.now() });
  else known.delete(digest);
  return row;
}

const forget = (app: App): void => remembered.get(app)?.clear();

/** The principal a token's or session's text stands for; undefined when unknown, revoked or expired. */
export async function authenticate(app: App, text: string): Promise<Principal | undefined> {
  if (!text.startsWith(API_PREFIX) && !text.startsWith(SESSION_PREFIX)) return undefined;
  const row = await tokenRow(app, tokenDigest(text));
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= app.clock.now())) return undefined;
  const actor = row.kind === "session" ? `user ${row.userName ?? "?"}` : `token ${row.id} (${row.description})`;
  return { actor, role: row.role, kind: row.kind, tokenId: row.id, ...(row.project ? { project: row.project } : {}) };
}

/** A session for a user whose password matches: its text (for a cookie) and when it ends. */
export async function login(app: App, request: { name: string; password: string }): Promise<{ token: string; expiresAt: Date; role: Role }> {
  const { store } = await app.deps();
  const user = await store.user(request.name);
  // The same answer, after the same work, whether the name or the password was wrong.
  const ok = await verifyPassword(request.password, user?.passwordHash ?? "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  if (!user || !ok) throw new SlipwayError("E_UNAUTHENTICATED", "wrong user name or password");
  const token = newTokenText(SESSION_PREFIX);
  const expiresAt = new Date(app.clock.now() + SESSION_MS);
  await store.createToken({ digest: tokenDigest(token), kind: "session", role: user.role, userId: user.id, description: `session of ${user.name}`, expiresAt });
  await store.audit({ actor: `user ${user.name}`, action: "session.create", detail: {} });
  return { token, expiresAt, role: user.role };
}

export async function logout(app: App, text: string): Promise<void> {
  await (await app.deps()).store.revokeDigest(tokenDigest(text));
  forget(app);
}
