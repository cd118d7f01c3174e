/**
 * Kysely's SQLite dialect with two changes that matter when several processes share one file:
 *
 * - Transactions begin IMMEDIATE: the write lock is taken at BEGIN, where busy_timeout waits for
 *   it. A deferred BEGIN that later upgrades to a write fails with SQLITE_BUSY at once under WAL
 *   when another process wrote in between, and busy_timeout cannot help.
 * - Migrations run in one transaction (SQLite's DDL is transactional; Kysely assumes not). So two
 *   first runs racing on a new file serialize: the second waits, then finds the schema current,
 *   instead of failing on "table already exists"; a failing migration leaves nothing behind.
 */
import type { DatabaseConnection, Driver, SqliteDialectConfig } from "kysely";
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

export class SlipwaySqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
