/** Projects and their environments: found by name, created on first use. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { Store } from "./types.js";

export function projectRepository(db: Kysely<Database>): Pick<Store, "ensureProject" | "ensureEnvironment" | "environments" | "projectId"> {
  return {
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
