/**
 * Kysely's SQLite dialect with two changes that matter when several processes share one file:
 *
 * - Transactions begin IMMEDIATE: the write lock is taken at BEGIN, where busy_timeout waits for
 *   it. A deferred BEGIN that later upgrades to a write fails with SQLITE_BUSY at once under WAL
 *   when another process wrote in between, and busy_timeout cannot help.
 * - Migrations run in one transaction (SQLite's DDL is transactional; Kysely assumes not). So two
 *   first runs racing on a new file serialize: the second waits, then finds the schema current,
 *   instead of failing on "table already exists"; a failing migration leaves nothing behind.
 * - Prepared statements are kept and re-used (Kysely prepares each query anew): preparing was a
 *   quarter of the work of a server answering a small read.
 */
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteDialectConfig, SqliteStatement } from "kysely";
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from "kysely";

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Statements kept per database, the least recently used dropped first. */
const STATEMENT_CACHE = 256;

/**
 * The database with a cache of prepared statements. Safe because better-sqlite3 is synchronous
 * and Kysely never leaves a statement mid-iteration here (no streaming queries): a statement is
 * always done with before it is used again.
 */
export function cachingStatements(database: SqliteDatabase, size = STATEMENT_CACHE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const kept = cache.get(sql);
      if (kept) {
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value ?? "");
      return statement;
    },
  };
}

export class SlipwaySqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig & { database: SqliteDatabase }) {
    const cached = { ...config, database: cachingStatements(config.database) };
    super(cached);
    this.#config = cached;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
