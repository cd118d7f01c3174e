/** A project's notification targets (their secrets sealed by the caller) and every delivery attempt. */
import type { Kysely, Selectable } from "kysely";
import type { Database, NotificationTargetsTable } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { NotificationMethods, NotificationTargetRow } from "./notification-types.js";
import type { StoreIdentity } from "./types.js";

function toTarget(r: Selectable<NotificationTargetsTable>): NotificationTargetRow {
  return { id: r.id, projectId: r.project_id, url: r.url, secret: r.secret, actor: r.actor, createdAt: fromTimestamp(r.created_at) };
}

export function notificationRepository(db: Kysely<Database>, { now }: StoreIdentity): NotificationMethods {
  return {
    async addNotificationTarget(t) {
      const row = await db
        .insertInto("notification_targets")
        .values({ project_id: t.projectId, url: t.url, secret: t.secret, actor: t.actor, created_at: toTimestamp(now()) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTarget(row);
    },

    async notificationTargets(projectId) {
      const rows = await db.selectFrom("notification_targets").selectAll().where("project_id", "=", projectId).orderBy("id").execute();
      return rows.map(toTarget);
    },

    async removeNotificationTarget(projectId, id) {
      const result = await db.deleteFrom("notification_targets").where("project_id", "=", projectId).where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async recordNotificationAttempt(a) {
      await db
        .insertInto("notification_attempts")
        .values({
          target_id: a.targetId,
          deployment_id: a.deploymentId,
          delivery: a.delivery,
          event: a.event,
          attempt: a.attempt,
          http_status: a.httpStatus ?? null,
          error: a.error ?? null,
          duration_ms: Math.round(a.durationMs),
          at: toTimestamp(now()),
        })
        .execute();
    },

    async notificationAttempts(projectId, limit) {
      const rows = await db
        .selectFrom("notification_attempts as a")
        .innerJoin("notification_targets as t", "t.id", "a.target_id")
        .selectAll("a")
        .select("t.url")
        .where("t.project_id", "=", projectId)
        .orderBy("a.id", "desc")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        targetId: r.target_id,
        url: r.url,
        deploymentId: r.deployment_id,
        delivery: r.delivery,
        event: r.event,
        attempt: r.attempt,
        ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
        ...(r.error !== null ? { error: r.error } : {}),
        durationMs: r.duration_ms,
        at: fromTimestamp(r.at),
      }));
    },
  };
}
