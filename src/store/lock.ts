/**
 * An environment's deploy lock: one row in `locks`, keyed by the environment. Taking it is a
 * single INSERT … ON CONFLICT DO NOTHING, and taking over a dead holder's lock a single
 * compare-and-swap UPDATE, so two processes racing can never both believe they hold it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Insertable, Kysely, Selectable } from "kysely";
import { SlipwayError } from "../core/errors.js";
import type { Database, LocksTable } from "./schema.js";
import { holderIsDead } from "./liveness.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { HeldLock, LockHolder, LockOptions, LockRow, StoreIdentity } from "./types.js";

const DEFAULT_POLL_MS = 500;

/** The lock is held by a live process and the caller asked not to wait. */
export class LockedError extends SlipwayError {
  declare readonly code: "E_LOCKED";
  /** The holder's own description, as it gave it. */
  readonly holder: string;

  constructor(lock: Pick<Selectable<LocksTable>, "holder" | "pid" | "hostname" | "acquired_at">) {
    const where = lock.pid === null ? "" : ` (pid ${lock.pid}${lock.hostname === null ? "" : ` on ${lock.hostname}`}, since ${lock.acquired_at})`;
    super("E_LOCKED", `the environment is locked by ${lock.holder}${where}`);
    this.name = "LockedError";
    this.holder = lock.holder;
  }
}

/** A lock whose holder no longer runs (see liveness.ts: a reused pid is not the holder). */
function lockIsDead(lock: Selectable<LocksTable>, thisHost: string): boolean {
  return holderIsDead({ pid: lock.pid, hostname: lock.hostname, started: lock.process_started ?? null }, thisHost);
}

async function tryInsert(db: Kysely<Database>, row: Insertable<LocksTable>): Promise<boolean> {
  const result = await db.insertInto("locks").values(row).onConflict((oc) => oc.column("environment_id").doNothing()).executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

/** Replaces exactly the dead holder's row; if someone else got there first, nothing changes. */
async function tryTakeOver(db: Kysely<Database>, dead: Selectable<LocksTable>, row: Insertable<LocksTable>): Promise<boolean> {
  const result = await db
    .updateTable("locks")
    .set(row)
    .where("environment_id", "=", dead.environment_id)
    .where("pid", "=", dead.pid)
    .where("hostname", "=", dead.hostname)
    .where("acquired_at", "=", dead.acquired_at)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

function held(db: Kysely<Database>, row: Insertable<LocksTable> & LocksTable): HeldLock {
  let released = false;
  const release = async (): Promise<void> => {
    // Idempotent, and deletes only our own row: never a lock someone took over from us.
    if (released) return;
    released = true;
    await db
      .deleteFrom("locks")
      .where("environment_id", "=", row.environment_id)
      .where("pid", "=", row.pid)
      .where("hostname", "=", row.hostname)
      .where("acquired_at", "=", row.acquired_at)
      .execute();
  };
  return { release, [Symbol.asyncDispose]: release };
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    // Surface the caller's reason, not the timer's AbortError wrapper.
    throw signal?.aborted ? signal.reason : error;
  }
}

export async function acquireLock(db: Kysely<Database>, identity: StoreIdentity, environmentId: number, holder: LockHolder, options: LockOptions = {}): Promise<HeldLock> {
  const thisHost = identity.hostname;
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const row = {
      environment_id: environmentId,
      deployment_id: holder.deploymentId ?? null,
      holder: holder.description,
      pid: holder.pid ?? identity.pid,
      hostname: holder.hostname ?? thisHost,
      acquired_at: toTimestamp(identity.now()),
      process_started: holder.pid === undefined || holder.pid === identity.pid ? (identity.started ?? null) : (holder.started ?? null),
    };
    if (await tryInsert(db, row)) return held(db, row);
    const current = await db.selectFrom("locks").selectAll().where("environment_id", "=", environmentId).executeTakeFirst();
    if (current === undefined) continue; // released between our insert and this read
    if (lockIsDead(current, thisHost)) {
      if (await tryTakeOver(db, current, row)) return held(db, row);
      continue;
    }
    if (options.wait === false) throw new LockedError(current);
    if (!announced) {
      announced = true;
      options.onWait?.(current.holder);
    }
    await pause(options.pollMs ?? DEFAULT_POLL_MS, options.signal);
  }
}

export async function readLock(db: Kysely<Database>, identity: StoreIdentity, environmentId: number): Promise<LockRow | undefined> {
  const row = await db.selectFrom("locks").selectAll().where("environment_id", "=", environmentId).executeTakeFirst();
  if (!row) return undefined;
  return {
    environmentId,
    ...(row.deployment_id !== null ? { deploymentId: row.deployment_id } : {}),
    holder: row.holder,
    ...(row.pid !== null ? { pid: row.pid } : {}),
    ...(row.hostname !== null ? { hostname: row.hostname } : {}),
    acquiredAt: fromTimestamp(row.acquired_at),
    dead: lockIsDead(row, identity.hostname),
  };
}

export async function breakLock(db: Kysely<Database>, environmentId: number): Promise<boolean> {
  const result = await db.deleteFrom("locks").where("environment_id", "=", environmentId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
