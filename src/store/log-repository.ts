/** A deployment's log lines, written in batches and read back in the order written. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { LogStream, Store, StoreIdentity } from "./types.js";

/**
 * Rows per INSERT: 5 parameters each stays under SQLite's historic 999-parameter limit
 * (and far under Postgres's 65,535), whatever the build of either.
 */
const CHUNK = 190;

export function logRepository(db: Kysely<Database>, { now }: StoreIdentity): Pick<Store, "appendLogs" | "logs"> {
  return {
    async appendLogs(deploymentId, step, lines) {
      if (lines.length === 0) return;
      const at = toTimestamp(now());
      const rows = lines.map(({ stream, line }) => ({ deployment_id: deploymentId, step, stream, line, at }));
      // One transaction: one fsync for the whole batch, and a batch is never half written.
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto("logs").values(rows.slice(i, i + CHUNK)).execute();
      });
    },

    async logs(deploymentId) {
      const rows = await db.selectFrom("logs").selectAll().where("deployment_id", "=", deploymentId).orderBy("id").execute();
      return rows.map((row) => ({
        id: row.id,
        deploymentId: row.deployment_id,
        step: row.step,
        stream: row.stream as LogStream,
        line: row.line,
        at: fromTimestamp(row.at),
      }));
    },
  };
}
