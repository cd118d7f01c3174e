/**
 * The store's schema history, in code: one list of named migrations run by Kysely's Migrator.
 * Written with the schema builder only, so the same list serves SQLite now and Postgres later;
 * the one thing the two spell differently (a generated integer key) is chosen by `dialect`.
 * Never edit a migration that has shipped: add the next one.
 */
import { sql, type Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { DEFAULT_MIGRATION_TABLE, Migrator } from "kysely/migration";
import { SlipwayError } from "../core/errors.js";
import { withId, type DialectKind } from "./migration-kit.js";
import { notificationTables } from "./migration-notifications.js";
import { serverTables } from "./migration-server.js";
import { gitProjects } from "./migration-git.js";

export type { DialectKind } from "./migration-kit.js";

// No CHECK constraints on status or kind columns: SQLite cannot alter one without rebuilding the
// table, and the closed sets live in the repository's types.
function initial(dialect: DialectKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable("projects"), dialect)
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("dir", "text", (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable("environments"), dialect)
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addUniqueConstraint("environments_project_name", ["project_id", "name"])
        .execute();
      await withId(db.schema.createTable("builds"), dialect)
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("commit", "text", (c) => c.notNull())
        .addColumn("tag", "text", (c) => c.notNull())
        .addColumn("build_key", "text", (c) => c.notNull())
        .addColumn("images", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("builds_project_build_key", ["project_id", "build_key"])
        .execute();
      await withId(db.schema.createTable("releases"), dialect)
        .addColumn("environment_id", "integer", (c) => c.notNull().references("environments.id").onDelete("cascade"))
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("build_id", "integer", (c) => c.notNull().references("builds.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("config", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("releases_environment_number", ["environment_id", "number"])
        .execute();
      await withId(db.schema.createTable("deployments"), dialect)
        .addColumn("environment_id", "integer", (c) => c.notNull().references("environments.id").onDelete("cascade"))
        .addColumn("release_id", "integer", (c) => c.references("releases.id").onDelete("set null"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("ref", "text", (c) => c.notNull())
        .addColumn("commit", "text")
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("pid", "integer")
        .execute();
      await db.schema.createIndex("deployments_environment").on("deployments").columns(["environment_id", "id"]).execute();
      await db.schema.createIndex("deployments_release").on("deployments").column("release_id").execute();
      await withId(db.schema.createTable("steps"), dialect)
        .addColumn("deployment_id", "integer", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("error", "text")
        .execute();
      await db.schema.createIndex("steps_deployment").on("steps").column("deployment_id").execute();
      await withId(db.schema.createTable("logs"), dialect)
        .addColumn("deployment_id", "integer", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
        .addColumn("step", "text", (c) => c.notNull())
        .addColumn("stream", "text", (c) => c.notNull())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      // (deployment_id, id): a deployment's lines in the order they were written, from the index alone.
      await db.schema.createIndex("logs_deployment").on("logs").columns(["deployment_id", "id"]).execute();
      await db.schema
        .createTable("locks")
        .addColumn("environment_id", "integer", (c) => c.primaryKey().references("environments.id").onDelete("cascade"))
        .addColumn("deployment_id", "integer", (c) => c.references("deployments.id").onDelete("set null"))
        .addColumn("holder", "text", (c) => c.notNull())
        .addColumn("pid", "integer")
        .addColumn("hostname", "text")
        .addColumn("acquired_at", "text", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["locks", "logs", "steps", "deployments", "releases", "builds", "environments", "projects"]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

/**
 * Variables per environment, each change a new version whose values are sealed (AES-256-GCM, by
 * the caller; the store sees only text). A release keeps its sealed model (which holds the values
 * its containers got) apart from its plain snapshot, and which variables version it ran with.
 */
function variables(dialect: DialectKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable("variable_versions"), dialect)
        .addColumn("environment_id", "integer", (c) => c.notNull().references("environments.id").onDelete("cascade"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("changes", "text", (c) => c.notNull())
        .addColumn("sealed", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("variable_versions_environment_version", ["environment_id", "version"])
        .execute();
      await db.schema.alterTable("releases").addColumn("sealed", "text").execute();
      await db.schema.alterTable("releases").addColumn("variables", "text").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("releases").dropColumn("variables").execute();
      await db.schema.alterTable("releases").dropColumn("sealed").execute();
      await db.schema.dropTable("variable_versions").execute();
    },
  };
}

/**
 * Who runs a deployment or holds a lock, beyond its pid (which the OS reuses): the host and the
 * process's start, so that a dead holder is known for dead and its work reconciled.
 */
function holders(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("deployments").addColumn("hostname", "text").execute();
      await db.schema.alterTable("deployments").addColumn("process_started", "text").execute();
      await db.schema.alterTable("locks").addColumn("process_started", "text").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("locks").dropColumn("process_started").execute();
      await db.schema.alterTable("deployments").dropColumn("process_started").execute();
      await db.schema.alterTable("deployments").dropColumn("hostname").execute();
    },
  };
}

/** Every migration, by name; the Migrator runs them in name order. */
/**
 * The live and kept releases of an environment, found without reading its history: a release's
 * status sits after its configuration snapshot in the row, so a scan reads every snapshot.
 */
function releaseStatus(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex("releases_environment_status").on("releases").columns(["environment_id", "status", "number"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("releases_environment_status").execute();
    },
  };
}

/**
 * The digests a registry gave for a build's pushed images, one row a reference: a build is shared
 * by a project's environments, each with its own registry, so a row each and no read-modify-write
 * of the build's images. Gone with the build.
 */
function pushedImages(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("pushed_images")
        .addColumn("build_id", "integer", (c) => c.notNull().references("builds.id").onDelete("cascade"))
        .addColumn("service", "text", (c) => c.notNull())
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("image_id", "text", (c) => c.notNull())
        .addColumn("digest", "text", (c) => c.notNull())
        .addColumn("pushed_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("pushed_images_pk", ["build_id", "reference"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("pushed_images").execute();
    },
  };
}

export function migrations(dialect: DialectKind): Record<string, Migration> {
  return { "0001_initial": initial(dialect), "0002_variables": variables(dialect), "0003_holders": holders(), "0004_server": serverTables(dialect), "0005_release_status": releaseStatus(), "0006_git_projects": gitProjects(dialect), "0007_notifications": notificationTables(dialect), "0008_pushed_images": pushedImages() };
}

export function migrationProvider(dialect: DialectKind): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}

/**
 * Whether the store has run exactly these migrations: one read, where the Migrator takes the
 * migration lock (a write transaction) and reads the schema's tables on every command. Any other
 * answer, a new store without the table included, is the Migrator's to handle.
 */
async function hasRunExactly<T>(db: Kysely<T>, names: readonly string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
    const ran = new Set(rows.map((row) => row.name));
    return ran.size === names.length && names.every((name) => ran.has(name));
  } catch {
    return false;
  }
}

/** Brings the schema up to date; throws the failing migration's error. */
export async function migrateToLatest<T>(db: Kysely<T>, dialect: DialectKind): Promise<void> {
  if (await hasRunExactly(db, Object.keys(migrations(dialect)))) return;
  const { error, results } = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new SlipwayError("E_INTERNAL", `the store's migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}
