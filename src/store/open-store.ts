/** Opens the SQLite store, brings its schema up to date, and assembles the repositories behind `Store`. */
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { makePrivate, PRIVATE_FILE, privateDir } from "../core/private-files.js";
import SqliteDatabase from "better-sqlite3";
import { Kysely } from "kysely";
import { DATABASE_FILE } from "./home.js";
import { acquireLock, breakLock, readLock } from "./lock.js";
import { deploymentRepository } from "./deployment-repository.js";
import { logRepository } from "./log-repository.js";
import { migrateToLatest } from "./migrations.js";
import { gitProjectRepository } from "./git-project-repository.js";
import { projectRepository } from "./project-repository.js";
import { releaseRepository } from "./release-repository.js";
import { variableRepository } from "./variable-repository.js";
import type { Database } from "./schema.js";
import { SlipwaySqliteDialect } from "./sqlite-dialect.js";
import { processIdentity } from "./identity.js";
import type { Store, StoreIdentity } from "./types.js";
import type { DialectKind } from "./migration-kit.js";
import { queueRepository } from "./queue-repository.js";
import { openPostgres } from "./postgres-dialect.js";
import { eventRepository } from "./event-repository.js";
import { authRepository } from "./auth-repository.js";
import { auditRepository } from "./audit-repository.js";
import { notificationRepository } from "./notification-repository.js";
import { statusRepository } from "./status-repository.js";

/** How long a statement waits for another process's write before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs `statement` again every 10 ms while it fails with SQLITE_BUSY, for `timeoutMs` at most. */
export function retryWhileBusy<T>(statement: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return statement();
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

function openSqlite(path: string): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(path, { timeout: BUSY_TIMEOUT_MS });
  // WAL: readers (the panel, `slipway logs -f`) never block the deploy that writes.
  // An in-memory database answers "memory" here, which is fine. Switching a fresh file to WAL
  // needs it to itself for a moment, and SQLite answers SQLITE_BUSY at once, without waiting
  // through the busy timeout, when another process opens the same new file in that moment
  // (two CLI runs, or the server and a CLI run, on a new home): so wait and try again here.
  retryWhileBusy(() => sqlite.pragma("journal_mode = WAL"), BUSY_TIMEOUT_MS);
  // In WAL mode NORMAL syncs at checkpoints rather than at every commit: a crash of the process
  // or the OS loses nothing, a power cut at most the last commits; a deployment writes dozens.
  sqlite.pragma("synchronous = NORMAL");
  // SQLite enforces foreign keys only when asked, per connection.
  sqlite.pragma("foreign_keys = ON");
  return sqlite;
}

export function storeOver(db: Kysely<Database>, identity: StoreIdentity = processIdentity(), dialect: DialectKind = "sqlite"): Store {
  return {
    db,
    ...queueRepository(db, identity, dialect),
    ...eventRepository(db, identity),
    ...authRepository(db, identity),
    ...auditRepository(db, identity),
    ...projectRepository(db),
    ...gitProjectRepository(db, identity),
    ...releaseRepository(db, identity),
    ...deploymentRepository(db, identity),
    ...logRepository(db, identity),
    ...variableRepository(db, identity),
    ...notificationRepository(db, identity),
    ...statusRepository(db, identity),
    acquireLock: (environmentId, holder, options) => acquireLock(db, identity, environmentId, holder, options),
    lock: (environmentId) => readLock(db, identity, environmentId),
    breakLock: (environmentId) => breakLock(db, environmentId),
    [Symbol.asyncDispose]: () => db.destroy(),
  };
}

/**
 * The database file, and the WAL and shared-memory files SQLite puts beside it, readable by the
 * owner only: SQLite creates those two with the database file's mode, so the file is created
 * 0600 before SQLite opens it.
 */
function privateDatabase(home: string): string {
  privateDir(home);
  const path = join(home, DATABASE_FILE);
  closeSync(openSync(path, "a", PRIVATE_FILE));
  makePrivate(path, `${path}-wal`, `${path}-shm`);
  return path;
}

export type StoreLocation = { home: string } | { database: string } | { url: string };

/**
 * `{ home }` opens `<home>/slipway.db`, creating the directory (0700); `{ database }` a path or
 * ":memory:"; `{ url }` a PostgreSQL database (postgres://…). The same migrations run on both.
 */
export async function openStore(options: StoreLocation & { identity?: StoreIdentity }): Promise<Store> {
  if ("url" in options) {
    const db = await openPostgres(options.url);
    return await migrated(db, "postgres", options.identity);
  }
  let path: string;
  if ("home" in options) {
    path = privateDatabase(options.home);
  } else {
    path = options.database;
  }
  const db = new Kysely<Database>({ dialect: new SlipwaySqliteDialect({ database: openSqlite(path) }) });
  return await migrated(db, "sqlite", options.identity);
}

async function migrated(db: Kysely<Database>, dialect: DialectKind, identity: StoreIdentity | undefined): Promise<Store> {
  try {
    await migrateToLatest(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return storeOver(db, identity, dialect);
}
