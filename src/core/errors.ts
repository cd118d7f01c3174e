/**
 * Typed errors with a closed set of codes. Messages say what to do next; tests check codes.
 * Exit codes follow the error class (see `exitCodeFor`).
 */
export const ErrorCodes = {
  E_USAGE: "E_USAGE",
  E_CONFIG_INVALID: "E_CONFIG_INVALID",
  E_COMPOSE_INVALID: "E_COMPOSE_INVALID",
  E_FILE_MISSING: "E_FILE_MISSING",
  E_YAML_INVALID: "E_YAML_INVALID",
  E_VARIABLES_MISSING: "E_VARIABLES_MISSING",
  E_NOT_DEPLOYABLE: "E_NOT_DEPLOYABLE",
  E_EXISTS: "E_EXISTS",
  E_COMPOSE_MISSING: "E_COMPOSE_MISSING",
  E_COMPOSE_TOO_OLD: "E_COMPOSE_TOO_OLD",
  E_ENGINE_UNREACHABLE: "E_ENGINE_UNREACHABLE",
  E_SWARM_UNAVAILABLE: "E_SWARM_UNAVAILABLE",
  E_REGISTRY_UNREACHABLE: "E_REGISTRY_UNREACHABLE",
  E_NODE_CANNOT_PULL: "E_NODE_CANNOT_PULL",
  E_GIT: "E_GIT",
  E_DIRTY_TREE: "E_DIRTY_TREE",
  E_NOT_FOUND: "E_NOT_FOUND",
  E_LOCKED: "E_LOCKED",
  E_ROUTER_UNAVAILABLE: "E_ROUTER_UNAVAILABLE",
  E_BUILD_FAILED: "E_BUILD_FAILED",
  E_RELEASE_FAILED: "E_RELEASE_FAILED",
  E_START_FAILED: "E_START_FAILED",
  E_IMAGE_UNAVAILABLE: "E_IMAGE_UNAVAILABLE",
  E_HEALTH_TIMEOUT: "E_HEALTH_TIMEOUT",
  E_SWITCH_FAILED: "E_SWITCH_FAILED",
  E_SECRET_KEY: "E_SECRET_KEY",
  E_SECRETS_PROVIDER: "E_SECRETS_PROVIDER",
  E_CANCELLED: "E_CANCELLED",
  E_INTERRUPTED: "E_INTERRUPTED",
  E_STORE_UNAVAILABLE: "E_STORE_UNAVAILABLE",
  E_UNAUTHENTICATED: "E_UNAUTHENTICATED",
  E_FORBIDDEN: "E_FORBIDDEN",
  E_CONFLICT: "E_CONFLICT",
  E_CERTIFICATE_FAILED: "E_CERTIFICATE_FAILED",
  E_INTERNAL: "E_INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Process exit codes, documented in the README. */
export const ExitCodes = {
  ok: 0,
  failed: 1,
  badInput: 2,
  locked: 3,
  unavailable: 4,
} as const;

const exitByCode: Record<ErrorCode, number> = {
  E_USAGE: ExitCodes.badInput,
  E_CONFIG_INVALID: ExitCodes.badInput,
  E_COMPOSE_INVALID: ExitCodes.badInput,
  E_FILE_MISSING: ExitCodes.badInput,
  E_YAML_INVALID: ExitCodes.badInput,
  E_VARIABLES_MISSING: ExitCodes.badInput,
  E_NOT_DEPLOYABLE: ExitCodes.badInput,
  E_EXISTS: ExitCodes.badInput,
  E_GIT: ExitCodes.badInput,
  E_DIRTY_TREE: ExitCodes.badInput,
  E_NOT_FOUND: ExitCodes.badInput,
  E_LOCKED: ExitCodes.locked,
  E_ROUTER_UNAVAILABLE: ExitCodes.unavailable,
  E_BUILD_FAILED: ExitCodes.failed,
  E_RELEASE_FAILED: ExitCodes.failed,
  E_START_FAILED: ExitCodes.failed,
  E_IMAGE_UNAVAILABLE: ExitCodes.failed,
  E_HEALTH_TIMEOUT: ExitCodes.failed,
  E_SWITCH_FAILED: ExitCodes.failed,
  E_COMPOSE_MISSING: ExitCodes.unavailable,
  E_COMPOSE_TOO_OLD: ExitCodes.unavailable,
  E_ENGINE_UNREACHABLE: ExitCodes.unavailable,
  E_SWARM_UNAVAILABLE: ExitCodes.unavailable,
  E_REGISTRY_UNREACHABLE: ExitCodes.unavailable,
  E_NODE_CANNOT_PULL: ExitCodes.unavailable,
  E_SECRET_KEY: ExitCodes.badInput,
  E_SECRETS_PROVIDER: ExitCodes.unavailable,
  E_CANCELLED: ExitCodes.failed,
  E_INTERRUPTED: ExitCodes.failed,
  E_STORE_UNAVAILABLE: ExitCodes.unavailable,
  E_UNAUTHENTICATED: ExitCodes.badInput,
  E_FORBIDDEN: ExitCodes.badInput,
  E_CONFLICT: ExitCodes.badInput,
  E_CERTIFICATE_FAILED: ExitCodes.failed,
  E_INTERNAL: ExitCodes.failed,
};

/**
 * What the user can do next, as data: each shell says it in its own words (the CLI names a
 * flag or a command, a server an HTTP status or a button).
 */
export type ErrorHint =
  | { readonly action: "wait-for-lock" }
  | { readonly action: "read-deployment-log"; readonly deploymentId: number }
  | { readonly action: "allow-dirty" }
  | { readonly action: "deploy-ref"; readonly ref: string }
  | { readonly action: "build-elsewhere-first" }
  | { readonly action: "list-releases" }
  | { readonly action: "deploy-first"; readonly environment: string }
  | { readonly action: "replace-config" }
  | { readonly action: "one-off-instead"; readonly verb: "run" | "exec"; readonly service: string }
  | { readonly action: "confirm-with-yes"; readonly command: string };

export class SlipwayError extends Error {
  readonly code: ErrorCode;
  /** Extra lines (one problem each) printed under the message. */
  readonly details: readonly string[];
  readonly hint: ErrorHint | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: readonly string[]; hint?: ErrorHint } = {}) {
    super(message, { cause: options.cause });
    this.name = "SlipwayError";
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
  }

  get exitCode(): number {
    return exitByCode[this.code];
  }
}

export function exitCodeFor(error: unknown): number {
  return error instanceof SlipwayError ? error.exitCode : ExitCodes.failed;
}

export function isSlipwayError(error: unknown, code?: ErrorCode): error is SlipwayError {
  return error instanceof SlipwayError && (code === undefined || error.code === code);
}
