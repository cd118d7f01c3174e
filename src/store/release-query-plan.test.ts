/**
 * How SQLite reads an environment's releases: by index, whatever the history's length. The
 * plans come from SQLite itself (EXPLAIN QUERY PLAN) for the statements the repository sends.
 */
import SqliteDatabase from "better-sqlite3";
import { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest } from "./migrations.js";
import { storeOver } from "./open-store.js";
import type { Database } from "./schema.js";
import { SlipwaySqliteDialect } from "./sqlite-dialect.js";
import type { Store } from "./types.js";

describe("the release history's query plans (sqlite)", () => {
  let sqlite: SqliteDatabase.Database;
  let store: Store;
  let sent: Array<{ sql: string; parameters: readonly unknown[] }>;
  beforeEach(async () => {
    sqlite = new SqliteDatabase(":memory:");
    sent = [];
    const db = new Kysely<Database>({ dialect: new SlipwaySqliteDialect({ database: sqlite }), log: (event) => void sent.push({ sql: event.query.sql, parameters: event.query.parameters }) });
    await migrateToLatest(db, "sqlite");
    store = storeOver(db);
  });
  afterEach(() => store[Symbol.asyncDispose]());

  /** The plan of the one statement `read` sends, one line a step. */
  async function planOf(read: () => Promise<unknown>): Promise<string> {
    sent = [];
    await read();
    expect(sent).toHaveLength(1);
    const [{ sql, parameters }] = sent as [{ sql: string; parameters: readonly unknown[] }];
    return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Array<{ detail: string }>).map((row) => row.detail).join("\n");
  }

  it.each([
    { name: "live and superseded (status, reconcile)", statuses: ["live", "superseded"] as const },
    { name: "superseded (a deploy's retire)", statuses: ["superseded"] as const },
  ])("reads releases of some statuses from the status index: $name", async ({ statuses }) => {
    const plan = await planOf(() => store.releases(1, { statuses }));
    expect(plan).toMatch(/SEARCH r USING INDEX releases_environment_status \(environment_id=\? AND status=\?\)/);
  });

  it("reads the newest releases in number order from the (environment, number) key, with no sort", async () => {
    const plan = await planOf(() => store.releases(1, { limit: 21 }));
    expect(plan).toMatch(/SEARCH r USING INDEX sqlite_autoindex_releases_1 \(environment_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
