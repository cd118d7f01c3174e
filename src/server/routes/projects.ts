/** Projects and their environments: registry, status, releases. */
import { z } from "zod";
import { environmentReleases, environmentStatus, listProjects, overview, projectOf, registerProject, type StatusReport } from "../../app/index.js";
import { principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { EnvironmentOverview, EnvironmentParams, EnvironmentStatus, Project, ProjectParams, RegisterProject, Release, ReleasesQuery } from "../schemas.js";

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
    { config: access("admin", { unscoped: true }), schema: { ...describe("admin", "registerProject", "register a checkout on this host as a project (or move it)", "projects", { unscoped: true }), body: RegisterProject, response: { 201: Project, ...ERRORS } } },
    async (request, reply) => {
      const { name, path, settings } = request.body;
      const project = await registerProject(app, { name, path, actor: principalOf(request).actor, ...(settings ? { settings } : {}) });
      return reply.code(201).send(project);
    },
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
