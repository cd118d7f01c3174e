/**
 * What each operation says of itself in the OpenAPI document: its id, summary, tag, the role
 * it needs (`x-slipway-role`, which the walk-every-route test reads), and the error answers.
 */
import { Problem } from "./schemas.js";
import type { Access } from "./auth.js";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });

/** The error answers every operation may give, each a problem+json document with Slipway's code. */
export const ERRORS = {
  400: problem("the request is not valid (E_USAGE)"),
  401: problem("no valid token or session (E_UNAUTHENTICATED)"),
  403: problem("the caller's role does not allow it (E_FORBIDDEN)"),
  404: problem("no such thing, or none the caller may see (E_NOT_FOUND)"),
  409: problem("it conflicts with the current state (E_EXISTS, E_LOCKED, …)"),
  422: problem("the project cannot be read or deployed as it is (E_CONFIG_INVALID, …)"),
  503: problem("Docker, compose, the router or the store is unavailable"),
} as const;

export function describe(access: Access, operationId: string, summary: string, tag: string, options: { unscoped?: boolean } = {}) {
  return {
    operationId,
    summary,
    tags: [tag],
    "x-slipway-role": access,
    ...(options.unscoped ? { "x-slipway-unscoped": true } : {}),
    ...(access === "public" ? { security: [] } : {}),
  };
}

/** The route's `config`: who may call it (checked by the auth hook); `unscoped`: no project-scoped token. */
export function access(level: Access, options: { unscoped?: boolean } = {}): { access: Access; unscoped?: boolean } {
  return { access: level, ...(options.unscoped ? { unscoped: true } : {}) };
}
