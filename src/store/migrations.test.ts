/** Bringing the schema up to date: every migration once, and only a read when all have run. */
import SqliteDatabase from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { DEFAULT_MIGRATION_TABLE, Migrator } from "kysely/migration";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, migrationProvider, migrations } from "./migrations.js";
import type { Database } from "./schema.js";
import { SlipwaySqliteDialect } from "./sqlite-dialect.js";

describe("migrateToLatest (sqlite)", () => {
  let db: Kysely<Database>;
  let sent: string[];
  beforeEach(() => {
    sent = [];
    db = new Kysely<Database>({ dialect: new SlipwaySqliteDialect({ database: new SqliteDatabase(":memory:") }), log: (event) => void sent.push(event.query.sql) });
  });
  afterEach(() => db.destroy());

  const ran = async (): Promise<string[]> => (await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)} order by name`.execute(db)).rows.map((r) => r.name);
  const tables = async (): Promise<string[]> => (await db.introspection.getTables()).map((t) => t.name);

  it("runs every migration on a new store", async () => {
    await migrateToLatest(db, "sqlite");
    expect(await ran()).toEqual(Object.keys(migrations("sqlite")).sort());
    expect(await tables()).toEqual(expect.arrayContaining(["releases", "deployments", "notification_targets"]));
  });

  it("only reads which migrations ran when the store is current", async () => {
    await migrateToLatest(db, "sqlite");
    sent = [];
    await migrateToLatest(db, "sqlite");
    expect(sent).toEqual([`select name from "${DEFAULT_MIGRATION_TABLE}"`]);
  });

  it("runs the migrations a store lacks", async () => {
    const names = Object.keys(migrations("sqlite"));
    const last = names.at(-1) ?? "";
    await new Migrator({ db, provider: migrationProvider("sqlite") }).migrateTo(names.at(-2) ?? "");
    expect(await ran()).not.toContain(last);
    await migrateToLatest(db, "sqlite");
    expect(await ran()).toContain(last);
    expect(await tables()).toContain("notification_targets");
  });

  it("refuses a store that a newer Slipway migrated", async () => {
    await migrateToLatest(db, "sqlite");
    await sql`insert into ${sql.table(DEFAULT_MIGRATION_TABLE)} (name, timestamp) values ('9999_future', '2030-01-01')`.execute(db);
    await expect(migrateToLatest(db, "sqlite")).rejects.toMatchObject({ code: "E_INTERNAL" });
  });
});
