/** The server about itself: health (public), metrics and the OpenAPI document (behind a token). */
import { z } from "zod";
import { metrics } from "../../app/index.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { Health } from "../schemas.js";
import { renderPrometheus } from "../prometheus.js";

export function metaRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get("/healthz", { config: access("public"), schema: { ...describe("public", "health", "the server answers", "meta"), response: { 200: Health } } }, () => ({ status: "ok" as const }));

  server.get(
    "/metrics",
    { config: access("viewer", { unscoped: true }), schema: { ...describe("viewer", "metrics", "Prometheus text: deployments by status, a duration histogram by outcome, the queue's depth (of every project)", "meta", { unscoped: true }), response: { 200: { description: "metrics", content: { "text/plain": { schema: z.string() } } }, ...ERRORS } } },
    async (_request, reply) => reply.type("text/plain; version=0.0.4; charset=utf-8").send(renderPrometheus(await metrics(app))),
  );

  server.get("/api/openapi.json", { config: access("viewer"), schema: { ...describe("viewer", "openapi", "this document: OpenAPI 3.1, generated from the schemas that validate the API", "meta") } }, () => server.swagger());
}
