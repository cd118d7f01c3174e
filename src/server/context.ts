/** What every route of the server works with: the application, the worker, the shutdown signal. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { App } from "../app/index.js";

/** The Fastify instance with zod schemas for every route. */
export type ZodServer = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What the routes may ask of the queue worker running in this process (none: another process runs the queue). */
export interface WorkerControl {
  /** Look for new work now, rather than at the next poll. */
  wake(): void;
  /** Cancel a deployment this process runs; false when it runs elsewhere (its runner polls). */
  cancel(deploymentId: number, reason: string): boolean;
}

export interface ServerContext {
  readonly app: App;
  readonly worker?: WorkerControl;
  /** Aborted when the server stops: event streams end. */
  readonly shutdown: AbortSignal;
  /** Set the session cookie with Secure (when served over TLS). */
  readonly secureCookies: boolean;
}
