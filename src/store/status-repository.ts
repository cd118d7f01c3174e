/** A project's commit-status target (its token sealed by the caller) and every report sent to it. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { StatusMethods, StatusProvider } from "./notification-types.js";
import type { StoreIdentity } from "./types.js";

export function statusRepository(db: Kysely<Database>, { now }: StoreIdentity): StatusMethods {
  return {
    async setStatusTarget(t) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("status_targets").where("project_id", "=", t.projectId).execute();
        await trx
          .insertInto("status_targets")
          .values({ project_id: t.projectId, provider: t.provider, repository: t.repository, api_url: t.apiUrl, token: t.token, actor: t.actor, created_at: toTimestamp(now()) })
          .execute();
      });
    },

    async statusTarget(projectId) {
      const r = await db.selectFrom("status_targets").selectAll().where("project_id", "=", projectId).executeTakeFirst();
      if (!r) return undefined;
      return { projectId: r.project_id, provider: r.provider as StatusProvider, repository: r.repository, apiUrl: r.api_url, token: r.token, actor: r.actor, createdAt: fromTimestamp(r.created_at) };
    },

    async removeStatusTarget(projectId) {
      const result = await db.deleteFrom("status_targets").where("project_id", "=", projectId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async recordStatusReport(r) {
      await db
        .insertInto("status_reports")
        .values({
          project_id: r.projectId,
          deployment_id: r.deploymentId,
          provider: r.provider,
          state: r.state,
          attempt: r.attempt,
          http_status: r.httpStatus ?? null,
          error: r.error ?? null,
          external_id: r.externalId ?? null,
          duration_ms: Math.round(r.durationMs),
          at: toTimestamp(now()),
        })
        .execute();
    },

    async statusReports(query) {
      let select = db.selectFrom("status_reports").selectAll().where("project_id", "=", query.projectId).orderBy("id", "desc").limit(query.limit);
      if (query.deploymentId !== undefined) select = select.where("deployment_id", "=", query.deploymentId);
      const rows = await select.execute();
      return rows.map((r) => ({
        id: r.id,
        deploymentId: r.deployment_id,
        provider: r.provider as StatusProvider,
        state: r.state,
        attempt: r.attempt,
        ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
        ...(r.error !== null ? { error: r.error } : {}),
        ...(r.external_id !== null ? { externalId: r.external_id } : {}),
        durationMs: r.duration_ms,
        at: fromTimestamp(r.at),
      }));
    },
  };
}
