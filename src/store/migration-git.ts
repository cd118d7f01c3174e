/**
 * Projects deployed from a git URL: the URL and branch, the sealed webhook secret and fetch
 * credentials, and every webhook delivery with its verdict. A verified delivery's id is unique
 * per project (`dedupe`), so that a replay never deploys twice; a refused one holds no key, so a
 * forged delivery cannot take the id of a real one.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { withId, type DialectKind } from "./migration-kit.js";

export function gitProjects(dialect: DialectKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // JSON { url, branch? }; null: a checkout registered by path.
      await db.schema.alterTable("projects").addColumn("git", "text").execute();
      // Sealed (the master key) JSON { webhookSecret, token?, sshKey? }.
      await db.schema.alterTable("projects").addColumn("secrets", "text").execute();
      await withId(db.schema.createTable("webhook_deliveries"), dialect)
        .addColumn("project", "text", (c) => c.notNull())
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("delivery", "text", (c) => c.notNull())
        .addColumn("dedupe", "text", (c) => c.unique())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("verdict", "text", (c) => c.notNull())
        .addColumn("deployments", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("webhook_deliveries_project").on("webhook_deliveries").columns(["project", "id"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("webhook_deliveries").execute();
      await db.schema.alterTable("projects").dropColumn("secrets").execute();
      await db.schema.alterTable("projects").dropColumn("git").execute();
    },
  };
}
