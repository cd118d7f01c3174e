/**
 * The HTTP server: Fastify with zod schemas (which validate requests and responses and make the
 * OpenAPI document), the auth hook, problem+json errors, one log line per request.
 */
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { LogController } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { App } from "../app/index.js";
import { authHook } from "./auth.js";
import type { ServerContext, WorkerControl, ZodServer } from "./context.js";
import { problemFor, problemOf, sendProblem } from "./problem.js";
import { onResponseLog } from "./request-log.js";
import { accountRoutes } from "./routes/accounts.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { metaRoutes } from "./routes/meta.js";
import { hookRoutes } from "./routes/hooks.js";
import { projectRoutes } from "./routes/projects.js";
import { reportRoutes } from "./routes/reports.js";
import { variableRoutes } from "./routes/variables.js";
import { webRoutes } from "./web.js";

export interface ServerOptions {
  readonly app: App;
  readonly worker?: WorkerControl;
  /** Aborted when the server stops: event streams end. */
  readonly shutdown?: AbortSignal;
  /** Where the JSON log lines go; none: no log. */
  readonly log?: (line: string) => void;
  readonly version: string;
  readonly secureCookies?: boolean;
  /** The built web UI's directory (dist/web), served at `/`; none: no UI. */
  readonly webRoot?: string;
}

/** Bodies are small JSON documents; a variable's value may be larger (its own route says so). */
const BODY_LIMIT = 64 * 1024;

async function documented(server: ZodServer, version: string): Promise<void> {
  await server.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Slipway", version, description: "Deploy Docker Compose projects with zero downtime: projects, environments, deployments, variables." },
      components: {
        securitySchemes: {
          token: { type: "http", scheme: "bearer", description: "an API token (slipway tokens create)" },
          session: { type: "apiKey", in: "cookie", name: "slipway_session", description: "a session (POST /api/session)" },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

export async function buildServer(options: ServerOptions): Promise<ZodServer> {
  const { app } = options;
  const log = options.log;
  const server = Fastify({
    logger: log ? { level: "info", stream: { write: log } } : false,
    // One line per request, written by onResponseLog, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // A TLS proxy on this host says the browser came over HTTPS (the session cookie is then Secure) and who it is (for the sign-in limit).
    trustProxy: ["127.0.0.1", "::1"],
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  await documented(server, options.version);
  // Only routes that ask for it are limited (sign-in).
  await server.register(rateLimit, { global: false });
  server.addHook("onRequest", authHook(app));
  server.addHook("onResponse", onResponseLog);
  server.setErrorHandler((error, request, reply) => {
    const problem = problemFor(error, (text) => app.redactor.apply(text));
    if (problem.status >= 500) request.log.error({ error: app.redactor.apply((error as Error).stack ?? String(error)) }, "request failed");
    return sendProblem(reply, problem);
  });
  server.setNotFoundHandler((request, reply) => sendProblem(reply, problemOf("E_NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0] ?? ""}`)));
  const ctx: ServerContext = { app, ...(options.worker ? { worker: options.worker } : {}), shutdown: options.shutdown ?? new AbortController().signal, secureCookies: options.secureCookies ?? false };
  for (const routes of [metaRoutes, accountRoutes, projectRoutes, deploymentRoutes, variableRoutes, reportRoutes]) routes(server, ctx);
  await hookRoutes(server, ctx);
  if (options.webRoot && !(await webRoutes(server, options.webRoot))) log?.(`${JSON.stringify({ level: 40, msg: "no web UI: run npm run build", webRoot: options.webRoot })}\n`);
  await server.ready();
  return server;
}
