/** Projects and their environments: registry, status, releases. */
import { z } from "zod";
import { addGitProject, deployKeyOf, environmentReleases, environmentStatus, listProjects, overview, projectOf, registerProject, rotateWebhookSecret, webhookDeliveries, type StatusReport } from "../../app/index.js";
import { principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { EnvironmentOverview, EnvironmentParams, EnvironmentStatus, Limit, Project, ProjectParams, RegisteredProject, RegisterProject, Release, ReleasesQuery, WebhookAddress, WebhookDelivery } from "../schemas.js";

/** The status report as the API shows it: containers by release and service, no other labels. */
function statusView(report: StatusReport): z.input<typeof EnvironmentStatus> {
  return {
    project: report.project,
    environment: report.environment,
    live: report.live,
    containers: report.containers.map((c) => ({
      name: c.name,
      release: c.labels["slipway.release"],
      service: c.labels["slipway.service"],
      status: c.status,
      health: c.health,
      exitCode: c.exitCode,
      restartCount: c.restartCount,
      ports: c.ports,
    })),
    routes: report.routes.map((r) => ({ backend: r.backend, listen: r.listen, hosts: r.hosts, ...(r.serving ? { serving: r.serving } : {}) })),
    interrupted: report.interrupted,
    drift: report.drift,
  };
}

export function projectRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get("/api/projects", { config: access("viewer"), schema: { ...describe("viewer", "listProjects", "every project this caller may see", "projects"), response: { 200: z.array(Project).readonly(), ...ERRORS } } }, async (request) =>
    listProjects(app, principalOf(request)),
  );

  server.get(
    "/api/overview",
    { config: access("viewer"), schema: { ...describe("viewer", "overview", "every environment the caller may see: its live release, newest deployment (and its step) and routes, from the store alone", "projects"), response: { 200: z.array(EnvironmentOverview).readonly(), ...ERRORS } } },
    async (request) => overview(app, principalOf(request)),
  );

  server.post(
    "/api/projects",
    {
      config: access("admin", { unscoped: true }),
      schema: {
        ...describe("admin", "registerProject", "register a project: a checkout on this host (path; again to move it), or a git URL (git), whose answer carries its webhook address and secret, shown once", "projects", { unscoped: true }),
        body: RegisterProject,
        response: { 201: RegisteredProject, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { name, path, git, branch, token, tokenUser, settings } = request.body;
      const actor = principalOf(request).actor;
      if (path !== undefined) return reply.code(201).send(await registerProject(app, { name, path, actor, ...(settings ? { settings } : {}) }));
      const added = await addGitProject(app, { name, url: git as string, actor, ...(branch ? { branch } : {}), ...(token ? { token } : {}), ...(tokenUser ? { tokenUser } : {}), ...(settings ? { settings } : {}) });
      const { id: _id, ...project } = await projectOf(app, principalOf(request), name);
      return reply.code(201).send({ ...project, webhook: added.webhook, ...(added.publicKey ? { publicKey: added.publicKey } : {}), ...(added.fetchError ? { fetchError: added.fetchError } : {}) });
    },
  );

  server.post(
    "/api/projects/:project/webhook-secret",
    { config: access("admin"), schema: { ...describe("admin", "rotateWebhookSecret", "a new webhook secret for a project from a git URL, shown once: deliveries signed with the old one are refused from now on", "webhooks"), params: ProjectParams, response: { 200: WebhookAddress, ...ERRORS } } },
    async (request) => rotateWebhookSecret(app, principalOf(request), request.params.project),
  );

  server.get(
    "/api/projects/:project/webhook-deliveries",
    { config: access("viewer"), schema: { ...describe("viewer", "listWebhookDeliveries", "the project's webhook deliveries, newest first: each with its verdict and the deployments it queued", "webhooks"), params: ProjectParams, querystring: Limit, response: { 200: z.array(WebhookDelivery).readonly(), ...ERRORS } } },
    async (request) => (await webhookDeliveries(app, principalOf(request), request.params.project, request.query.limit)).map(({ project: _project, ...delivery }) => delivery),
  );

  server.get(
    "/api/projects/:project/deploy-key",
    { config: access("viewer"), schema: { ...describe("viewer", "getDeployKey", "the public half of the deploy key Slipway made for a project fetched over SSH", "webhooks"), params: ProjectParams, response: { 200: z.object({ publicKey: z.string() }), ...ERRORS } } },
    async (request) => ({ publicKey: await deployKeyOf(app, principalOf(request), request.params.project) }),
  );

  server.get(
    "/api/projects/:project",
    { config: access("viewer"), schema: { ...describe("viewer", "getProject", "a project and its environments", "projects"), params: ProjectParams, response: { 200: Project, ...ERRORS } } },
    async (request) => {
      const { id: _id, ...project } = await projectOf(app, principalOf(request), request.params.project);
      return project;
    },
  );

  server.get(
    "/api/projects/:project/environments/:environment",
    { config: access("viewer"), schema: { ...describe("viewer", "getEnvironment", "the live release, its containers and health, the route, and any drift", "projects"), params: EnvironmentParams, response: { 200: EnvironmentStatus, ...ERRORS } } },
    async (request) => statusView(await environmentStatus(app, principalOf(request), request.params)),
  );

  server.get(
    "/api/projects/:project/environments/:environment/releases",
    {
      config: access("viewer"),
      schema: {
        ...describe("viewer", "listReleases", "the environment's releases, newest first (the newest `limit`, when given); ?rollbackable=true says beside each whether a rollback to it can run now", "projects"),
        params: EnvironmentParams,
        querystring: ReleasesQuery,
        response: { 200: z.array(Release).readonly(), ...ERRORS },
      },
    },
    async (request) =>
      environmentReleases(app, principalOf(request), { ...request.params, rollbackable: request.query.rollbackable === "true", ...(request.query.limit === undefined ? {} : { limit: request.query.limit }) }),
  );
}
