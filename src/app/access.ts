/**
 * Who is asking, and what they may do: viewers read, deployers also deploy, roll back, promote
 * and cancel, admins also manage variables (and see their values), users and tokens. A token
 * scoped to a project sees nothing of any other: to it, other projects do not exist.
 */
import { SlipwayError } from "../core/errors.js";
import type { Role } from "../store/server-types.js";

export type { Role } from "../store/server-types.js";

export const ROLES: readonly Role[] = ["viewer", "deployer", "admin"];

export interface Principal {
  /** Who the history and the audit log name: "user ann", "token 4 (ci)". */
  readonly actor: string;
  readonly role: Role;
  /** A token scoped to one project sees that project only. */
  readonly project?: string;
  readonly kind: "api" | "session";
  /** The session's or token's id: a session logs out by it. */
  readonly tokenId: number;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when `role` includes what `needed` may do. */
export function allows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function requireRole(principal: Principal, needed: Role): void {
  if (!allows(principal.role, needed)) throw new SlipwayError("E_FORBIDDEN", `this needs the ${needed} role; ${principal.actor} is a ${principal.role}`);
}

/** A project outside the principal's scope is answered as if it did not exist. */
export function canSee(principal: Principal, project: string): boolean {
  return principal.project === undefined || principal.project === project;
}

export function requireProject(principal: Principal, project: string): void {
  if (!canSee(principal, project)) throw notFound(`no project named ${project}`);
}

export function notFound(message: string): SlipwayError {
  return new SlipwayError("E_NOT_FOUND", message);
}
