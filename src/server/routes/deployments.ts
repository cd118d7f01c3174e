/** Deployments: ask for one (deploy, rollback, promotion), follow it, cancel it. */
import { z } from "zod";
import { cancelDeployment, deploymentDetail, deploymentLogText, enqueue, enqueueDeploy, environmentDeployments, findDeployment, followEvents } from "../../app/index.js";
import { principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { CancelResult, DeployBody, Deployment, DeploymentDetail, EnvironmentParams, IdParams, Limit, PromotionBody, RollbackBody } from "../schemas.js";
import { lastEventId, streamEvents, streamSignal } from "../sse.js";

const TAG = "deployments";

/** Asking: a deploy, a rollback, a promotion, a cancellation. */
function askingRoutes(server: ZodServer, ctx: ServerContext): void {
  const { app } = ctx;
  const queued = { 202: Deployment, ...ERRORS };

  server.post(
    "/api/projects/:project/environments/:environment/deployments",
    { config: access("deployer"), schema: { ...describe("deployer", "createDeployment", "queue a deploy of a commit, branch or tag", TAG), params: EnvironmentParams, body: DeployBody, response: queued } },
    async (request, reply) => {
      const deployment = await enqueueDeploy(app, principalOf(request), { ...request.params, ...request.body });
      ctx.worker?.wake();
      return reply.code(202).send(deployment);
    },
  );

  server.post(
    "/api/projects/:project/environments/:environment/rollbacks",
    { config: access("deployer"), schema: { ...describe("deployer", "createRollback", "queue a rollback to an earlier release (default: the one before the live one)", TAG), params: EnvironmentParams, body: RollbackBody, response: queued } },
    async (request, reply) => {
      const { release } = request.body;
      const deployment = await enqueue(app, principalOf(request), { project: request.params.project, request: { kind: "rollback", environment: request.params.environment, ...(release ? { release } : {}) } });
      ctx.worker?.wake();
      return reply.code(202).send(deployment);
    },
  );

  server.post(
    "/api/promotions",
    { config: access("deployer"), schema: { ...describe("deployer", "createPromotion", "queue a promotion: the build `from` runs, deployed to `to`, never rebuilt", TAG), body: PromotionBody, response: queued } },
    async (request, reply) => {
      const { project, from, to } = request.body;
      const deployment = await enqueue(app, principalOf(request), { project, request: { kind: "promotion", from, to } });
      ctx.worker?.wake();
      return reply.code(202).send(deployment);
    },
  );

  server.post(
    "/api/deployments/:id/cancel",
    { config: access("deployer"), schema: { ...describe("deployer", "cancelDeployment", "cancel a deployment: at once while it waits; before its switch while it runs", TAG), params: IdParams, response: { 202: CancelResult, ...ERRORS } } },
    async (request, reply) => {
      const principal = principalOf(request);
      const result = await cancelDeployment(app, principal, request.params.id);
      if (result.outcome === "requested") ctx.worker?.cancel(request.params.id, `cancelled by ${principal.actor}`);
      return reply.code(202).send(result);
    },
  );
}

/** Following: lists, one deployment, its events and its log. */
function followingRoutes(server: ZodServer, ctx: ServerContext): void {
  const { app } = ctx;
  server.get(
    "/api/projects/:project/environments/:environment/deployments",
    { config: access("viewer"), schema: { ...describe("viewer", "listDeployments", "the environment's deployments, newest first", TAG), params: EnvironmentParams, querystring: Limit, response: { 200: z.array(Deployment).readonly(), ...ERRORS } } },
    async (request) => environmentDeployments(app, principalOf(request), { ...request.params, limit: request.query.limit }),
  );

  server.get(
    "/api/deployments/:id",
    { config: access("viewer"), schema: { ...describe("viewer", "getDeployment", "a deployment: its state, steps and timings, outcome", TAG), params: IdParams, response: { 200: DeploymentDetail, ...ERRORS } } },
    async (request) => deploymentDetail(app, principalOf(request), request.params.id),
  );

  server.get(
    "/api/deployments/:id/events",
    {
      config: access("viewer"),
      schema: {
        ...describe("viewer", "followDeployment", "Server-Sent Events: the deployment's events so far, then live ones, ending after live, failed or cancelled; Last-Event-ID resumes", TAG),
        params: IdParams,
        response: { 200: { description: "an event stream", content: { "text/event-stream": { schema: z.string() } } }, ...ERRORS },
      },
    },
    async (request, reply) => {
      await findDeployment(app, principalOf(request), request.params.id);
      const signal = streamSignal(request, ctx.shutdown);
      await streamEvents(request, reply, followEvents(app, { deploymentId: request.params.id, after: lastEventId(request), signal }), signal);
    },
  );

  server.get(
    "/api/deployments/:id/log",
    { config: access("viewer"), schema: { ...describe("viewer", "getDeploymentLog", "the deployment's stored log, as plain text", TAG), params: IdParams, response: { 200: { description: "the log", content: { "text/plain": { schema: z.string() } } }, ...ERRORS } } },
    async (request, reply) => reply.type("text/plain; charset=utf-8").send(await deploymentLogText(app, principalOf(request), request.params.id)),
  );
}

export function deploymentRoutes(server: ZodServer, ctx: ServerContext): void {
  askingRoutes(server, ctx);
  followingRoutes(server, ctx);
}
