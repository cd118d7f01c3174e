/** Every event of a deployment, as emitted: replayed to whoever follows it later, in order. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { EventMethods } from "./server-types.js";
import type { StoreIdentity } from "./types.js";

/** Rows per INSERT: 4 parameters each, under SQLite's historic 999-parameter limit. */
const CHUNK = 240;

export function eventRepository(db: Kysely<Database>, { now }: StoreIdentity): EventMethods {
  return {
    async appendEvents(events) {
      if (events.length === 0) return;
      const at = toTimestamp(now());
      const rows = events.map((e) => ({ deployment_id: e.deploymentId, type: e.type, data: e.json, at }));
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto("deployment_events").values(rows.slice(i, i + CHUNK)).execute();
      });
    },

    async events(deploymentId, afterId, limit) {
      const rows = await db.selectFrom("deployment_events").selectAll().where("deployment_id", "=", deploymentId).where("id", ">", afterId).orderBy("id").limit(limit).execute();
      return rows.map((r) => ({ id: r.id, deploymentId: r.deployment_id, type: r.type, json: r.data, at: fromTimestamp(r.at) }));
    },
  };
}
