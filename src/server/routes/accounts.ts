/** Sessions, API tokens, users and the audit log. */
import { z } from "zod";
import { addUser, auditLog, createToken, csrfTokenOf, listTokens, listUsers, login, logout, parseLifetime, revokeToken, SlipwayError } from "../../app/index.js";
import { CSRF_HEADER, SESSION_COOKIE, credentialsOf, principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { AuditEntry, AuditQuery, CreateToken, CreatedToken, CreateUser, CreatedUser, IdParams, Login, Session, Token, User } from "../schemas.js";

function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Expires=${expiresAt.toUTCString()}${secure ? "; Secure" : ""}`;
}

/** Failed or not, sign-in attempts from one address are limited: a password cannot be guessed at speed. */
const SIGN_IN_LIMIT = { max: 10, timeWindow: 60_000 };

function sessionRoutes(server: ZodServer, { app, secureCookies }: ServerContext): void {
  server.post(
    "/api/session",
    { config: { ...access("public"), rateLimit: SIGN_IN_LIMIT }, schema: { ...describe("public", "login", `sign in: sets the session cookie (changes made with it need the ${CSRF_HEADER} header)`, "session"), body: Login, response: { 201: Session, ...ERRORS } } },
    async (request, reply) => {
      const session = await login(app, request.body);
      // Secure when the browser reached the server over TLS (itself, or a TLS proxy on this host).
      const secure = secureCookies || request.protocol === "https";
      return reply
        .code(201)
        .header("set-cookie", sessionCookie(session.token, session.expiresAt, secure))
        .send({ actor: `user ${request.body.name}`, role: session.role, expiresAt: session.expiresAt, csrf: csrfTokenOf(session.token) });
    },
  );

  server.get("/api/session", { config: access("viewer"), schema: { ...describe("viewer", "whoami", "who the caller is, and its role", "session"), response: { 200: Session, ...ERRORS } } }, (request) => {
    const { actor, role } = principalOf(request);
    const credentials = credentialsOf(request);
    return { actor, role, ...(credentials?.viaCookie ? { csrf: csrfTokenOf(credentials.text) } : {}) };
  });

  server.delete("/api/session", { config: access("viewer"), schema: { ...describe("viewer", "logout", "sign out: ends the session the cookie carries", "session"), response: { 204: z.null(), ...ERRORS } } }, async (request, reply) => {
    const credentials = credentialsOf(request);
    if (!credentials?.viaCookie) throw new SlipwayError("E_USAGE", "only a session signs out; revoke an API token with DELETE /api/tokens/{id}");
    await logout(app, credentials.text);
    return reply.code(204).header("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).send(null);
  });
}

function tokenRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get("/api/tokens", { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "listTokens", "API tokens (never their text)", "tokens", { unscoped: true }), response: { 200: z.array(Token).readonly(), ...ERRORS } } }, async () => listTokens(app));

  server.post(
    "/api/tokens",
    { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "createToken", "create an API token: its text is in this answer only", "tokens", { unscoped: true }), body: CreateToken, response: { 201: CreatedToken, ...ERRORS } } },
    async (request, reply) => {
      const { role, project, expires, description } = request.body;
      const expiresInMs = expires === undefined ? undefined : parseLifetime(expires);
      const created = await createToken(app, { role, actor: principalOf(request).actor, ...(project ? { project } : {}), ...(expiresInMs ? { expiresInMs } : {}), ...(description ? { description } : {}) });
      return reply.code(201).send(created);
    },
  );

  server.delete("/api/tokens/:id", { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "revokeToken", "revoke an API token", "tokens", { unscoped: true }), params: IdParams, response: { 204: z.null(), ...ERRORS } } }, async (request, reply) => {
    await revokeToken(app, { id: request.params.id, actor: principalOf(request).actor });
    return reply.code(204).send(null);
  });
}

function userRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get("/api/users", { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "listUsers", "the server's users", "users", { unscoped: true }), response: { 200: z.array(User).readonly(), ...ERRORS } } }, async () => listUsers(app));

  server.post(
    "/api/users",
    { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "createUser", "add a user; without a password, one is generated and in this answer only", "users", { unscoped: true }), body: CreateUser, response: { 201: CreatedUser, ...ERRORS } } },
    async (request, reply) => {
      const { name, role, password } = request.body;
      return reply.code(201).send(await addUser(app, { name, role, actor: principalOf(request).actor, ...(password ? { password } : {}) }));
    },
  );

  server.get("/api/audit", { config: access("viewer"), schema: { ...describe("viewer", "listAudit", "who changed what, newest first (a project's token sees its project's only)", "audit"), querystring: AuditQuery, response: { 200: z.array(AuditEntry).readonly(), ...ERRORS } } }, async (request) =>
    auditLog(app, principalOf(request), request.query),
  );
}

export function accountRoutes(server: ZodServer, ctx: ServerContext): void {
  sessionRoutes(server, ctx);
  tokenRoutes(server, ctx);
  userRoutes(server, ctx);
}
