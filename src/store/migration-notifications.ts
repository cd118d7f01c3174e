/**
 * What a deployment reports when it ends: a project's notification targets (URLs that get a
 * signed JSON event) and every attempt to deliver one; its commit-status target (a git
 * provider's API) and every report sent there. Secrets and tokens are stored sealed.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { withId, type DialectKind } from "./migration-kit.js";

export function notificationTables(dialect: DialectKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable("notification_targets"), dialect)
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("secret", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("notification_targets_project").on("notification_targets").columns(["project_id", "id"]).execute();
      await withId(db.schema.createTable("notification_attempts"), dialect)
        .addColumn("target_id", "integer", (c) => c.notNull().references("notification_targets.id").onDelete("cascade"))
        .addColumn("deployment_id", "integer", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
        .addColumn("delivery", "text", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("http_status", "integer")
        .addColumn("error", "text")
        .addColumn("duration_ms", "integer", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("notification_attempts_target").on("notification_attempts").columns(["target_id", "id"]).execute();
      // One target a project: a project's commits live in one repository.
      await withId(db.schema.createTable("status_targets"), dialect)
        .addColumn("project_id", "integer", (c) => c.notNull().unique().references("projects.id").onDelete("cascade"))
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("api_url", "text", (c) => c.notNull())
        .addColumn("token", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable("status_reports"), dialect)
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("deployment_id", "integer", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("http_status", "integer")
        .addColumn("error", "text")
        .addColumn("external_id", "text")
        .addColumn("duration_ms", "integer", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("status_reports_project").on("status_reports").columns(["project_id", "id"]).execute();
      await db.schema.createIndex("status_reports_deployment").on("status_reports").columns(["deployment_id", "id"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["status_reports", "status_targets", "notification_attempts", "notification_targets"]) await db.schema.dropTable(table).execute();
    },
  };
}
