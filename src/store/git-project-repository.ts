/** Projects deployed from a git URL: their source, sealed secrets, and webhook deliveries. */
import type { Kysely } from "kysely";
import type { Database, WebhookDeliveriesTable } from "./schema.js";
import type { GitProjectMethods, WebhookDeliveryRow } from "./server-types.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { StoreIdentity } from "./types.js";

function deliveryRow(r: Omit<WebhookDeliveriesTable, "id" | "dedupe"> & { id: number }): WebhookDeliveryRow {
  return {
    id: r.id,
    project: r.project,
    provider: r.provider,
    event: r.event,
    delivery: r.delivery,
    status: r.status,
    verdict: r.verdict,
    deployments: JSON.parse(r.deployments) as number[],
    receivedAt: fromTimestamp(r.received_at),
  };
}

const DELIVERY_COLUMNS = ["id", "project", "provider", "event", "delivery", "status", "verdict", "deployments", "received_at"] as const;

export function gitProjectRepository(db: Kysely<Database>, { now }: StoreIdentity): GitProjectMethods {
  const insert = (d: Parameters<GitProjectMethods["recordDelivery"]>[0], dedupe: string | null) =>
    db
      .insertInto("webhook_deliveries")
      .values({ project: d.project, provider: d.provider, event: d.event, delivery: d.delivery, dedupe, status: d.status, verdict: d.verdict, deployments: "[]", received_at: toTimestamp(now()) })
      .onConflict((oc) => oc.column("dedupe").doNothing())
      .returning("id")
      .executeTakeFirst();
  return {
    async setProjectDir(projectId, dir) {
      await db.updateTable("projects").set({ dir }).where("id", "=", projectId).execute();
    },

    async setProjectGit(projectId, git) {
      await db.updateTable("projects").set({ git: git ? JSON.stringify(git) : null }).where("id", "=", projectId).execute();
    },

    async projectSecrets(projectId) {
      const row = await db.selectFrom("projects").select("secrets").where("id", "=", projectId).executeTakeFirst();
      return row?.secrets ?? undefined;
    },

    async setProjectSecrets(projectId, sealed) {
      await db.updateTable("projects").set({ secrets: sealed ?? null }).where("id", "=", projectId).execute();
    },

    async deleteEnvironment(environmentId) {
      await db.deleteFrom("environments").where("id", "=", environmentId).execute();
    },

    async recordDelivery(d) {
      const first = await insert(d, d.dedupe ?? null);
      if (first) return { id: first.id };
      // The key is taken: this is a replay of a delivery handled before.
      const earlier = await db.selectFrom("webhook_deliveries").select(DELIVERY_COLUMNS).where("dedupe", "=", d.dedupe as string).executeTakeFirstOrThrow();
      const duplicate = await insert({ ...d, status: 200, verdict: `duplicate of delivery ${earlier.delivery}, handled before: nothing done` }, null);
      return { id: (duplicate as { id: number }).id, duplicateOf: deliveryRow(earlier) };
    },

    async updateDelivery(id, patch) {
      await db
        .updateTable("webhook_deliveries")
        .set({ status: patch.status, verdict: patch.verdict, ...(patch.deployments ? { deployments: JSON.stringify(patch.deployments) } : {}) })
        .where("id", "=", id)
        .execute();
    },

    async failDelivery(id, patch) {
      await db.updateTable("webhook_deliveries").set({ status: patch.status, verdict: patch.verdict, dedupe: null }).where("id", "=", id).execute();
    },

    async deliveries(project, limit) {
      const rows = await db.selectFrom("webhook_deliveries").select(DELIVERY_COLUMNS).where("project", "=", project).orderBy("id", "desc").limit(limit).execute();
      return rows.map(deliveryRow);
    },
  };
}
