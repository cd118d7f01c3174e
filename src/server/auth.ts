/**
 * Every request but the public ones carries a token (Authorization: Bearer) or a session cookie;
 * each route says which role it needs. Checked before the body is read: a caller without the
 * right learns nothing from validation errors. A path naming a project outside the caller's
 * scope is answered 404, as if that project did not exist.
 */
import type { FastifyRequest } from "fastify";
import { authenticate, csrfMatches, requireProject, requireRole, SlipwayError, type App, type Principal, type Role } from "../app/index.js";

/** Who may call a route: anyone, or a role and the roles above it. */
export type Access = "public" | Role;

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    /** The session cookie authenticated it (so unsafe methods need the CSRF header). */
    viaCookie?: boolean;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** The route acts on the whole server (users, tokens, registering projects): no project-scoped token may call it. */
    unscoped?: boolean;
  }
}

export const SESSION_COOKIE = "slipway_session";
/** Cookie-authenticated changes must carry the session's CSRF token in it (sign-in and GET /api/session give it). */
export const CSRF_HEADER = "x-slipway-csrf";

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** The token or session text a request carries, and whether it came as a cookie. */
export function credentialsOf(request: FastifyRequest): { text: string; viaCookie: boolean } | undefined {
  const token = bearer(request.headers.authorization);
  if (token) return { text: token, viaCookie: false };
  const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return session ? { text: session, viaCookie: true } : undefined;
}

export function authHook(app: App) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.is404) return;
    // A route that forgets to say is the strictest kind.
    const access = request.routeOptions.config.access ?? "admin";
    if (access === "public") return;
    const credentials = credentialsOf(request);
    const principal = credentials ? await authenticate(app, credentials.text) : undefined;
    if (!principal || !credentials) throw new SlipwayError("E_UNAUTHENTICATED", "send an API token (Authorization: Bearer slw_…) or sign in (POST /api/session)");
    request.principal = principal;
    request.viaCookie = credentials.viaCookie;
    const project = (request.params as { project?: unknown }).project;
    if (typeof project === "string") requireProject(principal, project);
    requireRole(principal, access);
    if (request.routeOptions.config.unscoped && principal.project !== undefined) {
      throw new SlipwayError("E_FORBIDDEN", `a token scoped to ${principal.project} cannot act on the whole server`);
    }
    const unsafe = request.method !== "GET" && request.method !== "HEAD";
    if (unsafe && credentials.viaCookie && !csrfMatches(credentials.text, request.headers[CSRF_HEADER])) {
      throw new SlipwayError("E_FORBIDDEN", `a change made with a session cookie needs its CSRF token in the ${CSRF_HEADER} header (from sign-in or GET /api/session)`);
    }
  };
}

/** The caller, for a route that is not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new SlipwayError("E_UNAUTHENTICATED", "this route needs a token or a session");
  return request.principal;
}
