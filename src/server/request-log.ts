/**
 * One JSON line per request (pino, Fastify's logger): method, path without its query, status,
 * duration and who asked; never a header, a body, a cookie or a token.
 */
import type { FastifyReply, FastifyRequest } from "fastify";

export function logRequest(request: FastifyRequest, status: number, ms: number): void {
  request.log.info(
    {
      method: request.method,
      path: request.url.split("?")[0],
      route: request.routeOptions.url,
      status,
      ms: Math.round(ms * 10) / 10,
      actor: request.principal?.actor,
      remote: request.ip,
    },
    "request",
  );
}

export function onResponseLog(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  logRequest(request, reply.statusCode, reply.elapsedTime);
  done();
}
