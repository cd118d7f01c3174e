/** The audit log: who changed what, when; names and outcomes only, never a secret value. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { AuditMethods } from "./server-types.js";
import type { StoreIdentity } from "./types.js";

export function auditRepository(db: Kysely<Database>, { now }: StoreIdentity): AuditMethods {
  return {
    async audit(entry) {
      await db
        .insertInto("audit")
        .values({ at: toTimestamp(now()), actor: entry.actor, action: entry.action, project: entry.project ?? null, environment: entry.environment ?? null, detail: JSON.stringify(entry.detail) })
        .execute();
    },

    async auditLog(options) {
      let query = db.selectFrom("audit").selectAll().orderBy("id", "desc").limit(options.limit);
      if (options.project !== undefined) query = query.where("project", "=", options.project);
      if (options.before !== undefined) query = query.where("id", "<", options.before);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        at: fromTimestamp(r.at),
        actor: r.actor,
        action: r.action,
        ...(r.project !== null ? { project: r.project } : {}),
        ...(r.environment !== null ? { environment: r.environment } : {}),
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }));
    },
  };
}
