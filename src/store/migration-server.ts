/**
 * What `slipway serve` keeps: users and hashed tokens (sessions are tokens too), the audit log,
 * every event of a deployment (replayed to a late reader), and the durable queue: a queued
 * deployment's request, so that whichever process claims it can run it, even after a restart.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { withId, type DialectKind } from "./migration-kit.js";

export function serverTables(dialect: DialectKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable("users"), dialect)
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      // Only a digest of each token: the text itself is shown once, when it is made.
      await withId(db.schema.createTable("tokens"), dialect)
        .addColumn("digest", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("project", "text")
        .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("cascade"))
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addColumn("revoked_at", "text")
        .execute();
      await withId(db.schema.createTable("audit"), dialect)
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("project", "text")
        .addColumn("environment", "text")
        .addColumn("detail", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_project").on("audit").columns(["project", "id"]).execute();
      await withId(db.schema.createTable("deployment_events"), dialect)
        .addColumn("deployment_id", "integer", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("deployment_events_deployment").on("deployment_events").columns(["deployment_id", "id"]).execute();
      // The queued request (JSON) of a deployment asked of the server; null for the CLI's own.
      await db.schema.alterTable("deployments").addColumn("request", "text").execute();
      await db.schema.alterTable("deployments").addColumn("running_at", "text").execute();
      await db.schema.alterTable("deployments").addColumn("cancel_requested_at", "text").execute();
      await db.schema.createIndex("deployments_status").on("deployments").columns(["status", "id"]).execute();
      // JSON: the server's settings of a registered project ({ cache }); null: the defaults.
      await db.schema.alterTable("projects").addColumn("settings", "text").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("projects").dropColumn("settings").execute();
      await db.schema.dropIndex("deployments_status").execute();
      for (const column of ["cancel_requested_at", "running_at", "request"]) await db.schema.alterTable("deployments").dropColumn(column).execute();
      for (const table of ["deployment_events", "audit", "tokens", "users"]) await db.schema.dropTable(table).execute();
    },
  };
}
