/** What a project reports outside: notification targets and their attempts, its commit-status target and reports. */
import { z } from "zod";
import { addNotificationTarget, listNotificationTargets, notificationAttempts, removeNotificationTarget, removeStatusTarget, setStatusTarget, showStatusTarget } from "../../app/index.js";
import { principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import {
  AddedNotificationTarget,
  AddNotificationTarget,
  Limit,
  NotificationAttempt,
  NotificationParams,
  NotificationTarget,
  ProjectParams,
  SetStatusTarget,
  StatusTarget,
  StatusTargetAndReports,
} from "../schemas.js";

function notificationRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get(
    "/api/projects/:project/notifications",
    { config: access("viewer"), schema: { ...describe("viewer", "listNotificationTargets", "the URLs that get an event when a deployment of the project ends (never their secrets)", "notifications"), params: ProjectParams, response: { 200: z.array(NotificationTarget).readonly(), ...ERRORS } } },
    async (request) => listNotificationTargets(app, request.params.project),
  );

  server.post(
    "/api/projects/:project/notifications",
    {
      config: access("admin"),
      schema: { ...describe("admin", "addNotificationTarget", "add a URL to notify: the secret its deliveries are signed with is in this answer only", "notifications"), params: ProjectParams, body: AddNotificationTarget, response: { 201: AddedNotificationTarget, ...ERRORS } },
    },
    async (request, reply) => reply.code(201).send(await addNotificationTarget(app, { project: request.params.project, url: request.body.url, actor: principalOf(request).actor })),
  );

  server.delete(
    "/api/projects/:project/notifications/:id",
    { config: access("admin"), schema: { ...describe("admin", "removeNotificationTarget", "stop notifying a URL (its attempts go with it)", "notifications"), params: NotificationParams, response: { 204: z.null(), ...ERRORS } } },
    async (request, reply) => {
      await removeNotificationTarget(app, { ...request.params, actor: principalOf(request).actor });
      return reply.code(204).send(null);
    },
  );

  server.get(
    "/api/projects/:project/notification-attempts",
    { config: access("viewer"), schema: { ...describe("viewer", "listNotificationAttempts", "every try to deliver an event to the project's targets, newest first", "notifications"), params: ProjectParams, querystring: Limit, response: { 200: z.array(NotificationAttempt).readonly(), ...ERRORS } } },
    async (request) => notificationAttempts(app, { project: request.params.project, limit: request.query.limit }),
  );
}

function statusRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get(
    "/api/projects/:project/statuses",
    { config: access("viewer"), schema: { ...describe("viewer", "getStatusTarget", "where the project's deployments are reported as commit statuses (never the token), and the newest reports", "statuses"), params: ProjectParams, querystring: Limit, response: { 200: StatusTargetAndReports, ...ERRORS } } },
    async (request) => {
      const shown = await showStatusTarget(app, { project: request.params.project, limit: request.query.limit });
      return { target: shown.target ?? null, reports: shown.reports };
    },
  );

  server.put(
    "/api/projects/:project/statuses",
    { config: access("admin"), schema: { ...describe("admin", "setStatusTarget", "report the project's deployments as commit statuses to GitHub, GitLab or Gitea (replaces the target it had)", "statuses"), params: ProjectParams, body: SetStatusTarget, response: { 200: StatusTarget, ...ERRORS } } },
    async (request) => {
      const { provider, repository, api, token } = request.body;
      return setStatusTarget(app, { project: request.params.project, provider, repository, token, actor: principalOf(request).actor, ...(api ? { api } : {}) });
    },
  );

  server.delete(
    "/api/projects/:project/statuses",
    { config: access("admin"), schema: { ...describe("admin", "removeStatusTarget", "stop reporting commit statuses (the token is deleted)", "statuses"), params: ProjectParams, response: { 204: z.null(), ...ERRORS } } },
    async (request, reply) => {
      await removeStatusTarget(app, { project: request.params.project, actor: principalOf(request).actor });
      return reply.code(204).send(null);
    },
  );
}

export function reportRoutes(server: ZodServer, ctx: ServerContext): void {
  notificationRoutes(server, ctx);
  statusRoutes(server, ctx);
}
