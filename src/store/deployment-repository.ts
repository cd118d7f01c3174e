/** Deployments (one run of the pipeline) and their steps. */
import type { Kysely, Selectable, Updateable } from "kysely";
import type { Database, DeploymentsTable, StepsTable } from "./schema.js";
import { holderIsDead } from "./liveness.js";
import { fromOptionalTimestamp, fromTimestamp, toTimestamp } from "./time.js";
import type { DeploymentRow, DeploymentStatus, StepRow, StepStatus, Store, StoreIdentity } from "./types.js";

type DeploymentMethods = "createDeployment" | "updateDeployment" | "deployment" | "latestDeployment" | "startStep" | "finishStep" | "steps" | "orphanedDeployments" | "markInterrupted" | "recentDeployments";

function toDeployment(row: Selectable<DeploymentsTable>): DeploymentRow {
  return {
    id: row.id,
    environmentId: row.environment_id,
    releaseId: row.release_id ?? undefined,
    kind: row.kind,
    ref: row.ref,
    commit: row.commit ?? undefined,
    actor: row.actor,
    status: row.status as DeploymentStatus,
    error: row.error ?? undefined,
    startedAt: fromTimestamp(row.started_at),
    finishedAt: fromOptionalTimestamp(row.finished_at),
    pid: row.pid ?? undefined,
    hostname: row.hostname ?? undefined,
    processStarted: row.process_started ?? undefined,
    runningAt: fromOptionalTimestamp(row.running_at),
    queuedRequest: row.request !== null,
    cancelRequestedAt: fromOptionalTimestamp(row.cancel_requested_at),
  };
}

function toStep(row: Selectable<StepsTable>): StepRow {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    name: row.name,
    status: row.status as StepStatus,
    startedAt: fromTimestamp(row.started_at),
    finishedAt: fromOptionalTimestamp(row.finished_at),
    error: row.error ?? undefined,
  };
}

export function deploymentRepository(db: Kysely<Database>, identity: StoreIdentity): Pick<Store, DeploymentMethods> {
  const { now } = identity;
  return {
    async createDeployment(d) {
      const row = await db
        .insertInto("deployments")
        .values({ environment_id: d.environmentId, kind: d.kind, ref: d.ref, actor: d.actor, status: "queued", started_at: toTimestamp(now()), pid: d.pid ?? identity.pid, hostname: identity.hostname, process_started: identity.started ?? null })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async updateDeployment(id, patch) {
      const set: Updateable<DeploymentsTable> = {};
      if (patch.releaseId !== undefined) set.release_id = patch.releaseId;
      if (patch.ref !== undefined) set.ref = patch.ref;
      if (patch.commit !== undefined) set.commit = patch.commit;
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.status === "running") set.running_at = toTimestamp(now());
      if (patch.error !== undefined) set.error = patch.error;
      if (patch.finishedAt !== undefined) set.finished_at = toTimestamp(patch.finishedAt);
      if (Object.keys(set).length === 0) return;
      await db.updateTable("deployments").set(set).where("id", "=", id).execute();
    },

    async deployment(id) {
      const row = await db.selectFrom("deployments").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toDeployment(row);
    },

    async latestDeployment(environmentId) {
      const row = await db.selectFrom("deployments").selectAll().where("environment_id", "=", environmentId).orderBy("id", "desc").limit(1).executeTakeFirst();
      return row && toDeployment(row);
    },

    async startStep(deploymentId, name) {
      const row = await db
        .insertInto("steps")
        .values({ deployment_id: deploymentId, name, status: "running", started_at: toTimestamp(now()) })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async finishStep(stepId, status, error) {
      await db
        .updateTable("steps")
        .set({ status, finished_at: toTimestamp(now()), ...(error !== undefined ? { error } : {}) })
        .where("id", "=", stepId)
        .execute();
    },

    async recentDeployments(environmentId, limit) {
      const rows = await db.selectFrom("deployments").selectAll().where("environment_id", "=", environmentId).orderBy("id", "desc").limit(limit).execute();
      return rows.map(toDeployment);
    },

    async orphanedDeployments(environmentId) {
      const rows = await db.selectFrom("deployments").selectAll().where("environment_id", "=", environmentId).where("status", "in", ["queued", "running"]).orderBy("id").execute();
      return rows.filter((r) => holderIsDead({ pid: r.pid, hostname: r.hostname, started: r.process_started }, identity.hostname)).map(toDeployment);
    },

    async markInterrupted(deploymentId, reason) {
      return await db.transaction().execute(async (trx) => {
        const at = toTimestamp(now());
        const step = await trx.selectFrom("steps").select("name").where("deployment_id", "=", deploymentId).where("status", "=", "running").orderBy("id", "desc").executeTakeFirst();
        await trx.updateTable("steps").set({ status: "interrupted", finished_at: at, error: reason }).where("deployment_id", "=", deploymentId).where("status", "=", "running").execute();
        const deployment = await trx.selectFrom("deployments").select("release_id").where("id", "=", deploymentId).executeTakeFirst();
        if (deployment?.release_id != null) await trx.updateTable("releases").set({ status: "interrupted" }).where("id", "=", deployment.release_id).where("status", "=", "pending").execute();
        const error = step ? `${reason} during ${step.name}` : reason;
        await trx.updateTable("deployments").set({ status: "interrupted", finished_at: at, error }).where("id", "=", deploymentId).execute();
        return step?.name;
      });
    },

    async steps(deploymentId) {
      const rows = await db.selectFrom("steps").selectAll().where("deployment_id", "=", deploymentId).orderBy("id").execute();
      return rows.map(toStep);
    },
  };
}
