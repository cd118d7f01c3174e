/** Builds (immutable images of one commit) and releases (a build plus a config snapshot, numbered). */
import { sql, type Kysely, type Selectable } from "kysely";
import type { BuildsTable, Database, ReleasesTable } from "./schema.js";
import { fromOptionalTimestamp, fromTimestamp, toTimestamp } from "./time.js";
import type { BuildImages, BuildRow, DeploymentStatus, ReleaseKind, ReleaseRow, ReleaseStatus, ReleaseVariables, Store, StoreIdentity } from "./types.js";

type ReleaseMethods = "findBuild" | "saveBuild" | "recordPushed" | "pushedImages" | "recentBuilds" | "nextReleaseNumber" | "createRelease" | "setReleaseStatus" | "liveRelease" | "releases";

function toBuild(row: Selectable<BuildsTable>): BuildRow {
  return {
    id: row.id,
    projectId: row.project_id,
    commit: row.commit,
    tag: row.tag,
    buildKey: row.build_key,
    images: JSON.parse(row.images) as BuildImages,
    createdAt: fromTimestamp(row.created_at),
  };
}

function toRelease(row: Selectable<ReleasesTable>): ReleaseRow {
  return {
    id: row.id,
    environmentId: row.environment_id,
    number: row.number,
    buildId: row.build_id,
    kind: row.kind as ReleaseKind,
    config: JSON.parse(row.config) as unknown,
    status: row.status as ReleaseStatus,
    createdAt: fromTimestamp(row.created_at),
    ...(row.sealed !== null ? { sealed: row.sealed } : {}),
    ...(row.variables !== null ? { variables: JSON.parse(row.variables) as ReleaseVariables } : {}),
  };
}

export function releaseRepository(db: Kysely<Database>, { now }: StoreIdentity): Pick<Store, ReleaseMethods> {
  return {
    async findBuild(projectId, buildKey) {
      const row = await db.selectFrom("builds").selectAll().where("project_id", "=", projectId).where("build_key", "=", buildKey).executeTakeFirst();
      return row && toBuild(row);
    },

    async saveBuild(b) {
      const images = JSON.stringify(b.images);
      const row = await db
        .insertInto("builds")
        .values({ project_id: b.projectId, commit: b.commit, tag: b.tag, build_key: b.buildKey, images, created_at: toTimestamp(now()) })
        .onConflict((conflict) => conflict.columns(["project_id", "build_key"]).doUpdateSet({ images }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toBuild(row);
    },

    async recordPushed(p) {
      const values = { build_id: p.buildId, service: p.service, reference: p.reference, image_id: p.imageId, digest: p.digest, pushed_at: toTimestamp(now()) };
      await db
        .insertInto("pushed_images")
        .values(values)
        .onConflict((conflict) => conflict.columns(["build_id", "reference"]).doUpdateSet({ service: values.service, image_id: values.image_id, digest: values.digest, pushed_at: values.pushed_at }))
        .execute();
    },

    async pushedImages(buildId) {
      const rows = await db.selectFrom("pushed_images").selectAll().where("build_id", "=", buildId).orderBy("reference").execute();
      return rows.map((row) => ({ service: row.service, reference: row.reference, imageId: row.image_id, digest: row.digest, pushedAt: fromTimestamp(row.pushed_at) }));
    },

    async recentBuilds(projectId, limit) {
      const rows = await db.selectFrom("builds").selectAll().where("project_id", "=", projectId).orderBy("id", "desc").limit(limit).execute();
      return rows.map(toBuild);
    },

    async nextReleaseNumber(environmentId) {
      // Callers hold the environment's lock; the unique (environment, number) pair catches any who do not.
      const row = await db.selectFrom("releases").select((eb) => eb.fn.max("number").as("last")).where("environment_id", "=", environmentId).executeTakeFirst();
      return (row?.last ?? 0) + 1;
    },

    async createRelease(r) {
      const row = await db
        .insertInto("releases")
        .values({
          environment_id: r.environmentId,
          number: r.number,
          build_id: r.buildId,
          kind: r.kind,
          config: JSON.stringify(r.config ?? null),
          status: "pending",
          created_at: toTimestamp(now()),
          sealed: r.sealed ?? null,
          variables: r.variables ? JSON.stringify(r.variables) : null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRelease(row);
    },

    async setReleaseStatus(releaseId, status) {
      await db.updateTable("releases").set({ status }).where("id", "=", releaseId).execute();
    },

    async liveRelease(environmentId) {
      const row = await db.selectFrom("releases").selectAll().where("environment_id", "=", environmentId).where("status", "=", "live").orderBy("number", "desc").limit(1).executeTakeFirst();
      return row && toRelease(row);
    },

    async releases(environmentId, options = {}) {
      // The deployment that made a release is the latest one pointing at it (normally the only one).
      let query = db
        .selectFrom("releases as r")
        .innerJoin("builds as b", "b.id", "r.build_id")
        .leftJoin("deployments as d", (join) =>
          join.on("d.id", "=", (eb) => eb.selectFrom("deployments as d2").select((e) => e.fn.max("d2.id").as("id")).whereRef("d2.release_id", "=", "r.id")),
        )
        .selectAll("r")
        .select(["b.commit", "b.tag", "b.images", "d.id as d_id", "d.actor as d_actor", "d.status as d_status", "d.started_at as d_started_at", "d.finished_at as d_finished_at"])
        .where("r.environment_id", "=", environmentId);
      // Filtered by status, the rows come from the (environment, status, number) index and are
      // sorted after: `+` keeps SQLite from walking the whole history in number order instead,
      // which it prefers for an IN list (12 ms rather than 0.3 at 10,000 releases).
      if (options.statuses) query = query.where("r.status", "in", options.statuses.length > 0 ? [...options.statuses] : ["-"]).orderBy(sql`+r.number`, "desc");
      else query = query.orderBy("r.number", "desc");
      if (options.limit !== undefined) query = query.limit(options.limit);
      const rows = await query.execute();
      return rows.map((row) => ({
        ...toRelease(row),
        commit: row.commit,
        tag: row.tag,
        images: JSON.parse(row.images) as BuildImages,
        ...(row.d_id !== null && row.d_actor !== null && row.d_status !== null && row.d_started_at !== null
          ? {
              deployment: {
                id: row.d_id,
                actor: row.d_actor,
                status: row.d_status as DeploymentStatus,
                startedAt: fromTimestamp(row.d_started_at),
                finishedAt: fromOptionalTimestamp(row.d_finished_at),
              },
            }
          : {}),
      }));
    },
  };
}
