/**
 * Errors as `application/problem+json` (RFC 9457) carrying Slipway's error code: each code has
 * its HTTP status here, so a new code cannot be added without saying how the API answers it.
 */
import type { FastifyError, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { SlipwayError, type ErrorCode } from "../app/index.js";

const STATUS: Record<ErrorCode, number> = {
  E_USAGE: 400,
  E_CONFIG_INVALID: 422,
  E_COMPOSE_INVALID: 422,
  E_FILE_MISSING: 422,
  E_YAML_INVALID: 422,
  E_VARIABLES_MISSING: 422,
  E_NOT_DEPLOYABLE: 422,
  E_GIT: 422,
  E_DIRTY_TREE: 422,
  E_SECRET_KEY: 422,
  E_EXISTS: 409,
  E_CONFLICT: 409,
  E_LOCKED: 409,
  E_CANCELLED: 409,
  E_NOT_FOUND: 404,
  E_UNAUTHENTICATED: 401,
  E_FORBIDDEN: 403,
  E_COMPOSE_MISSING: 503,
  E_COMPOSE_TOO_OLD: 503,
  E_ENGINE_UNREACHABLE: 503,
  E_SWARM_UNAVAILABLE: 503,
  E_REGISTRY_UNREACHABLE: 503,
  E_NODE_CANNOT_PULL: 503,
  E_ROUTER_UNAVAILABLE: 503,
  E_SECRETS_PROVIDER: 503,
  E_STORE_UNAVAILABLE: 503,
  E_BUILD_FAILED: 500,
  E_RELEASE_FAILED: 500,
  E_START_FAILED: 500,
  E_IMAGE_UNAVAILABLE: 500,
  E_HEALTH_TIMEOUT: 500,
  E_SWITCH_FAILED: 500,
  E_INTERRUPTED: 500,
  E_CERTIFICATE_FAILED: 500,
  E_INTERNAL: 500,
};

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly hint?: Readonly<Record<string, unknown>>;
  readonly details?: readonly string[];
}

export function problemOf(code: ErrorCode, detail: string, extra: { hint?: object; details?: readonly string[] } = {}): ProblemBody {
  const status = STATUS[code];
  return {
    type: `urn:slipway:error:${code}`,
    title: code.slice(2).toLowerCase().replaceAll("_", " "),
    status,
    detail,
    code,
    ...(extra.hint ? { hint: { ...extra.hint } } : {}),
    ...(extra.details?.length ? { details: extra.details } : {}),
  };
}

/** What the client is told of an error; an unexpected one is only "internal error" (the log has the rest). */
export function problemFor(error: unknown, redact: (text: string) => string): ProblemBody {
  if (error instanceof SlipwayError) return problemOf(error.code, redact(error.message), { ...(error.hint ? { hint: error.hint } : {}), details: error.details.map(redact) });
  const fastify = error as Partial<FastifyError>;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => `${v.instancePath || "/"}: ${v.message ?? "invalid"}`);
    return problemOf("E_USAGE", `the request's ${fastify.validationContext ?? "input"} is not valid`, { details });
  }
  if (fastify.code === "FST_ERR_CTP_BODY_TOO_LARGE") return { ...problemOf("E_USAGE", "the request body is too large"), status: 413 };
  if (fastify.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return { ...problemOf("E_USAGE", "send the request body as application/json"), status: 415 };
  if (fastify.statusCode !== undefined && fastify.statusCode >= 400 && fastify.statusCode < 500) return { ...problemOf("E_USAGE", fastify.message ?? "bad request"), status: fastify.statusCode };
  return problemOf("E_INTERNAL", "internal error: the server's log says more");
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): FastifyReply {
  return reply.code(problem.status).type("application/problem+json").send(problem);
}
