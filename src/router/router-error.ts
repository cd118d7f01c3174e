/**
 * The router's own errors, with a closed set of codes. Callers map them onto SlipwayError
 * (E_ROUTER_UNAVAILABLE, E_SWITCH_FAILED, …); this module stays free of the CLI's codes.
 */
export const RouterErrorCodes = {
  /** The routes, a name or an address are not acceptable (nothing was changed). */
  E_ROUTER_CONFIG: "E_ROUTER_CONFIG",
  /** The router container does not run or its admin socket does not answer. */
  E_ROUTER_UNAVAILABLE: "E_ROUTER_UNAVAILABLE",
  /** HAProxy refused a runtime command (unknown backend or server, name taken by another address). */
  E_ROUTER_COMMAND: "E_ROUTER_COMMAND",
  /** A wait ran out: a server still held requests, or a reloaded worker did not take over. */
  E_ROUTER_TIMEOUT: "E_ROUTER_TIMEOUT",
} as const;

export type RouterErrorCode = (typeof RouterErrorCodes)[keyof typeof RouterErrorCodes];

export class RouterError extends Error {
  readonly code: RouterErrorCode;

  constructor(code: RouterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "RouterError";
    this.code = code;
  }
}

export function isRouterError(error: unknown, code?: RouterErrorCode): error is RouterError {
  return error instanceof RouterError && (code === undefined || error.code === code);
}
