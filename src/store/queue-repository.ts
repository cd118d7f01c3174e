/**
 * The durable deployment queue: requests recorded `queued` with what was asked and no owner;
 * a process claims one (its pid, host and start written by a conditional update, so no two
 * ever claim the same), runs it under the environment's lock, and a process that dies leaves
 * rows that reconciliation finds by their dead owner. On Postgres the claim skips rows another
 * transaction is claiming (`FOR UPDATE SKIP LOCKED`), so servers sharing one database do not
 * queue behind each other.
 */
import type { Kysely } from "kysely";
import type { DialectKind } from "./migration-kit.js";
import type { Database } from "./schema.js";
import { holderIsDead } from "./liveness.js";
import { toTimestamp } from "./time.js";
import type { ClaimedDeployment, QueueMethods } from "./server-types.js";
import type { StoreIdentity } from "./types.js";

/** An environment is busy while a deployment runs in it or one is claimed (waiting for its lock). */
function nextWaiting(db: Kysely<Database>, dialect: DialectKind) {
  const query = db
    .selectFrom("deployments as d")
    .select(["d.id", "d.environment_id", "d.kind", "d.ref", "d.actor", "d.request"])
    .where("d.status", "=", "queued")
    .where("d.request", "is not", null)
    .where("d.pid", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("deployments as o")
            .select("o.id")
            .whereRef("o.environment_id", "=", "d.environment_id")
            .whereRef("o.id", "<>", "d.id")
            .where((eb) => eb.or([eb("o.status", "=", "running"), eb.and([eb("o.status", "=", "queued"), eb("o.pid", "is not", null)])])),
        ),
      ),
    )
    .orderBy("d.id")
    .limit(1);
  return dialect === "postgres" ? query.forUpdate().skipLocked() : query;
}

export function queueRepository(db: Kysely<Database>, identity: StoreIdentity, dialect: DialectKind): QueueMethods {
  const { now } = identity;
  return {
    async enqueueDeployment(d) {
      return await db.transaction().execute(async (trx) => {
        // Postgres: one enqueue per environment at a time, so that each sees the one before it.
        if (dialect === "postgres") await trx.selectFrom("environments").select("id").where("id", "=", d.environmentId).forUpdate().execute();
        const at = toTimestamp(now());
        const row = await trx
          .insertInto("deployments")
          .values({ environment_id: d.environmentId, kind: d.kind, ref: d.ref, actor: d.actor, status: "queued", started_at: at, pid: null, hostname: null, process_started: null, request: JSON.stringify(d.request) })
          .returning("id")
          .executeTakeFirstOrThrow();
        const older = await trx.selectFrom("deployments").select("id").where("environment_id", "=", d.environmentId).where("status", "=", "queued").where("request", "is not", null).where("pid", "is", null).where("id", "<", row.id).execute();
        const superseded = older.map((o) => o.id);
        if (superseded.length > 0) {
          await trx.updateTable("deployments").set({ status: "superseded", finished_at: at, error: `superseded by deployment ${row.id}` }).where("id", "in", superseded).execute();
        }
        return { id: row.id, superseded };
      });
    },

    async claimDeployment() {
      return await db.transaction().execute(async (trx): Promise<ClaimedDeployment | undefined> => {
        const row = await nextWaiting(trx, dialect).executeTakeFirst();
        if (!row) return undefined;
        const claimed = await trx
          .updateTable("deployments")
          .set({ pid: identity.pid, hostname: identity.hostname, process_started: identity.started ?? null })
          .where("id", "=", row.id)
          .where("status", "=", "queued")
          .where("pid", "is", null)
          .executeTakeFirst();
        if (claimed.numUpdatedRows !== 1n) return undefined;
        return { id: row.id, environmentId: row.environment_id, kind: row.kind, ref: row.ref, actor: row.actor, request: JSON.parse(row.request ?? "null") as unknown };
      });
    },

    async requestCancel(deploymentId) {
      return await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom("deployments").select(["status", "pid"]).where("id", "=", deploymentId).executeTakeFirst();
        if (!row) return undefined;
        const at = toTimestamp(now());
        if (row.status === "queued" && row.pid === null) {
          await trx.updateTable("deployments").set({ status: "cancelled", finished_at: at, error: "cancelled before it ran", cancel_requested_at: at }).where("id", "=", deploymentId).execute();
          return "cancelled";
        }
        if (row.status !== "queued" && row.status !== "running") return "finished";
        await trx.updateTable("deployments").set({ cancel_requested_at: at }).where("id", "=", deploymentId).execute();
        return "requested";
      });
    },

    async cancelRequested(deploymentIds) {
      if (deploymentIds.length === 0) return [];
      const rows = await db.selectFrom("deployments").select("id").where("id", "in", [...deploymentIds]).where("cancel_requested_at", "is not", null).execute();
      return rows.map((r) => r.id);
    },

    async orphanedEnvironments() {
      const rows = await db.selectFrom("deployments").select(["environment_id", "pid", "hostname", "process_started"]).where("status", "in", ["queued", "running"]).where("pid", "is not", null).execute();
      const dead = rows.filter((r) => holderIsDead({ pid: r.pid, hostname: r.hostname, started: r.process_started }, identity.hostname));
      return [...new Set(dead.map((r) => r.environment_id))];
    },

    async deploymentPlace(deploymentId) {
      const row = await db
        .selectFrom("deployments as d")
        .innerJoin("environments as e", "e.id", "d.environment_id")
        .innerJoin("projects as p", "p.id", "e.project_id")
        .select(["p.id as projectId", "p.name as project", "e.name as environment", "p.dir as dir"])
        .where("d.id", "=", deploymentId)
        .executeTakeFirst();
      return row;
    },

    async environmentPlace(environmentId) {
      const row = await db
        .selectFrom("environments as e")
        .innerJoin("projects as p", "p.id", "e.project_id")
        .select(["p.id as projectId", "p.name as project", "e.name as environment", "p.dir as dir"])
        .where("e.id", "=", environmentId)
        .executeTakeFirst();
      return row;
    },

    async deploymentStats() {
      const counts = await db.selectFrom("deployments").select((eb) => ["status", eb.fn.countAll<number | string | bigint>().as("n")]).groupBy("status").execute();
      const finished = await db.selectFrom("deployments").select(["status", "running_at", "finished_at"]).where("running_at", "is not", null).where("finished_at", "is not", null).execute();
      return {
        byStatus: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
        durations: finished.map((r) => ({ status: r.status, seconds: (Date.parse(r.finished_at ?? "") - Date.parse(r.running_at ?? "")) / 1000 })),
      };
    },
  };
}
