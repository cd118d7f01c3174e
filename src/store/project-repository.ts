/** Projects and their environments: found by name, created on first use. */
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { ProjectGit, ProjectListRow, ProjectSettings } from "./server-types.js";
import type { Store } from "./types.js";

type ProjectMethods = "ensureProject" | "ensureEnvironment" | "environments" | "projectId" | "projects" | "project" | "setProjectSettings";

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * One query whatever the number of projects: each project with its environments, by name. Sorted
 * here, not by the database: the same order (by code point) on SQLite and on Postgres, whatever
 * the latter's collation, and no sort for it to do.
 */
async function listProjects(db: Kysely<Database>, name?: string): Promise<ProjectListRow[]> {
  let query = db
    .selectFrom("projects as p")
    .leftJoin("environments as e", "e.project_id", "p.id")
    .select(["p.id", "p.name", "p.dir", "p.settings", "p.git", "e.name as environment"]);
  if (name !== undefined) query = query.where("p.name", "=", name);
  const projects = new Map<number, ProjectListRow & { environments: string[] }>();
  for (const row of await query.execute()) {
    let project = projects.get(row.id);
    if (!project) {
      project = {
        id: row.id,
        name: row.name,
        dir: row.dir,
        settings: row.settings === null ? {} : (JSON.parse(row.settings) as ProjectSettings),
        environments: [],
        ...(row.git !== null ? { git: JSON.parse(row.git) as ProjectGit } : {}),
      };
      projects.set(row.id, project);
    }
    if (row.environment !== null) project.environments.push(row.environment);
  }
  for (const project of projects.values()) project.environments.sort();
  return [...projects.values()].sort(byName);
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
      // A project from a git URL keeps its directory: only adopting a checkout moves it (setProjectDir).
      const row = await db
        .insertInto("projects")
        .values({ name, dir })
        .onConflict((oc) => oc.column("name").doUpdateSet({ dir: sql<string>`CASE WHEN projects.git IS NULL THEN excluded.dir ELSE projects.dir END` }))
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
