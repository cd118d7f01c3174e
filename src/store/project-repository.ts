/** Projects and their environments: found by name, created on first use. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { ProjectListRow, ProjectSettings } from "./server-types.js";
import type { Store } from "./types.js";

type ProjectMethods = "ensureProject" | "ensureEnvironment" | "environments" | "projectId" | "projects" | "project" | "setProjectSettings";

/** Two queries whatever the number of projects: the projects, then their environments. */
async function listProjects(db: Kysely<Database>, name?: string): Promise<ProjectListRow[]> {
  let query = db.selectFrom("projects").select(["id", "name", "dir", "settings"]).orderBy("name");
  if (name !== undefined) query = query.where("name", "=", name);
  const projects = await query.execute();
  if (projects.length === 0) return [];
  let envQuery = db.selectFrom("environments").select(["project_id", "name"]).orderBy("name");
  if (name !== undefined) envQuery = envQuery.where("project_id", "=", projects[0]?.id ?? 0);
  const byProject = new Map<number, string[]>();
  for (const e of await envQuery.execute()) byProject.set(e.project_id, [...(byProject.get(e.project_id) ?? []), e.name]);
  return projects.map((p) => ({ id: p.id, name: p.name, dir: p.dir, settings: p.settings === null ? {} : (JSON.parse(p.settings) as ProjectSettings), environments: byProject.get(p.id) ?? [] }));
}

export function projectRepository(db: Kysely<Database>): Pick<Store, ProjectMethods> {
  return {
    projects: () => listProjects(db),
    project: async (name) => (await listProjects(db, name))[0],
    async setProjectSettings(projectId, settings) {
      await db.updateTable("projects").set({ settings: JSON.stringify(settings) }).where("id", "=", projectId).execute();
    },

    async ensureProject(name, dir) {
      // One upsert, so that two processes naming the same project at once both get its one row.
      const row = await db
        .insertInto("projects")
        .values({ name, dir })
        .onConflict((oc) => oc.column("name").doUpdateSet({ dir }))
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async ensureEnvironment(projectId, name) {
      // A no-op update rather than DO NOTHING: DO NOTHING returns no row to read the id from.
      const row = await db
        .insertInto("environments")
        .values({ project_id: projectId, name })
        .onConflict((oc) => oc.columns(["project_id", "name"]).doUpdateSet({ name }))
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async projectId(name) {
      const row = await db.selectFrom("projects").select("id").where("name", "=", name).executeTakeFirst();
      return row?.id;
    },

    async environments(projectId) {
      return db.selectFrom("environments").select(["id", "name"]).where("project_id", "=", projectId).orderBy("name").execute();
    },
  };
}
