/**
 * The Postgres store, when SLIPWAY_DATABASE_URL names one: Kysely's own dialect over a `pg`
 * pool. `pg` is loaded only here, so a SQLite store never loads it.
 */
import { Kysely, PostgresDialect } from "kysely";
import { SlipwayError } from "../core/errors.js";
import type { Database } from "./schema.js";

/** Connections per process: a deployment writes from a few places at once, a server's requests from more. */
const POOL_SIZE = 10;

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable URL)";
  }
}

export async function openPostgres(url: string): Promise<Kysely<Database>> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  // An idle client's error (the server restarted) must not crash the process: the pool replaces it.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new SlipwayError("E_STORE_UNAVAILABLE", `cannot reach the PostgreSQL store at ${safeUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
