/** Deployments (one run of the pipeline) and their steps. */
import type { Kysely, Selectable, Updateable } from "kysely";
import type { Database, DeploymentsTable, StepsTable } from "./schema.js";
import { fromOptionalTimestamp, fromTimestamp, toTimestamp } from "./time.js";
import type { DeploymentRow, DeploymentStatus, StepRow, StepStatus, Store } from "./types.js";

type DeploymentMethods = "createDeployment" | "updateDeployment" | "deployment" | "latestDeployment" | "startStep" | "finishStep" | "steps";

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

export function deploymentRepository(db: Kysely<Database>): Pick<Store, DeploymentMethods> {
  return {
    async createDeployment(d) {
      const row = await db
        .insertInto("deployments")
        .values({ environment_id: d.environmentId, kind: d.kind, ref: d.ref, actor: d.actor, status: "running", started_at: toTimestamp(new Date()), pid: process.pid })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async updateDeployment(id, patch) {
      const set: Updateable<DeploymentsTable> = {};
      if (patch.releaseId !== undefined) set.release_id = patch.releaseId;
      if (patch.commit !== undefined) set.commit = patch.commit;
      if (patch.status !== undefined) set.status = patch.status;
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
        .values({ deployment_id: deploymentId, name, status: "running", started_at: toTimestamp(new Date()) })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async finishStep(stepId, status, error) {
      await db
        .updateTable("steps")
        .set({ status, finished_at: toTimestamp(new Date()), ...(error !== undefined ? { error } : {}) })
        .where("id", "=", stepId)
        .execute();
    },

    async steps(deploymentId) {
      const rows = await db.selectFrom("steps").selectAll().where("deployment_id", "=", deploymentId).orderBy("id").execute();
      return rows.map(toStep);
    },
  };
}
