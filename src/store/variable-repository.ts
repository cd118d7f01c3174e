/** An environment's variables, one sealed row per version; and re-sealing everything for a key rotation. */
import type { Kysely, Selectable } from "kysely";
import type { Database, VariableVersionsTable } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { Store, StoreIdentity, VariableChanges, VariableVersionRow } from "./types.js";

/** Another change was recorded since the values were read: read again and re-apply. */
export class VariableVersionConflict extends Error {
  constructor() {
    super("the variables changed meanwhile");
    this.name = "VariableVersionConflict";
  }
}

type VariableMethods = "variableVersion" | "variableHistory" | "saveVariableVersion" | "reseal";

function toVersion(row: Selectable<VariableVersionsTable>): VariableVersionRow {
  return {
    id: row.id,
    environmentId: row.environment_id,
    version: row.version,
    actor: row.actor,
    changes: JSON.parse(row.changes) as VariableChanges,
    sealed: row.sealed,
    createdAt: fromTimestamp(row.created_at),
  };
}

export function variableRepository(db: Kysely<Database>, { now }: StoreIdentity): Pick<Store, VariableMethods> {
  return {
    async variableVersion(environmentId, version) {
      let query = db.selectFrom("variable_versions").selectAll().where("environment_id", "=", environmentId);
      query = version === undefined ? query.orderBy("version", "desc").limit(1) : query.where("version", "=", version);
      const row = await query.executeTakeFirst();
      return row && toVersion(row);
    },

    async variableHistory(environmentId) {
      const rows = await db.selectFrom("variable_versions").selectAll().where("environment_id", "=", environmentId).orderBy("version", "desc").execute();
      return rows.map((row) => {
        const { sealed: _sealed, ...rest } = toVersion(row);
        return rest;
      });
    },

    async saveVariableVersion(v) {
      // Optimistic: the new version is written only on top of the one its values were read from;
      // the unique (environment, version) pair catches a writer that slips in between.
      return db.transaction().execute(async (trx) => {
        const last = await trx.selectFrom("variable_versions").select((eb) => eb.fn.max("version").as("last")).where("environment_id", "=", v.environmentId).executeTakeFirst();
        if ((last?.last ?? null) !== v.base) throw new VariableVersionConflict();
        const row = await trx
          .insertInto("variable_versions")
          .values({ environment_id: v.environmentId, version: (last?.last ?? 0) + 1, actor: v.actor, changes: JSON.stringify(v.changes), sealed: v.sealed, created_at: toTimestamp(now()) })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toVersion(row);
      });
    },

    async reseal(transform) {
      return db.transaction().execute(async (trx) => {
        let count = 0;
        for (const row of await trx.selectFrom("variable_versions").select(["id", "sealed"]).execute()) {
          const { sealed } = transform({ table: "variable_versions", id: row.id, sealed: row.sealed });
          await trx.updateTable("variable_versions").set({ sealed }).where("id", "=", row.id).execute();
          count++;
        }
        for (const row of await trx.selectFrom("releases").select(["id", "sealed", "variables"]).where("sealed", "is not", null).execute()) {
          if (row.sealed === null) continue;
          const { sealed, digest } = transform({ table: "releases", id: row.id, sealed: row.sealed });
          // The digest is keyed by the master key too: a new key, a new digest of the same variables.
          const variables = row.variables !== null && digest !== undefined ? JSON.stringify({ ...(JSON.parse(row.variables) as object), digest }) : row.variables;
          await trx.updateTable("releases").set({ sealed, variables }).where("id", "=", row.id).execute();
          count++;
        }
        for (const row of await trx.selectFrom("notification_targets").select(["id", "secret"]).execute()) {
          await trx.updateTable("notification_targets").set({ secret: transform({ table: "notification_targets", id: row.id, sealed: row.secret }).sealed }).where("id", "=", row.id).execute();
          count++;
        }
        for (const row of await trx.selectFrom("status_targets").select(["id", "token"]).execute()) {
          await trx.updateTable("status_targets").set({ token: transform({ table: "status_targets", id: row.id, sealed: row.token }).sealed }).where("id", "=", row.id).execute();
          count++;
        }
        return count;
      });
    },
  };
}
