/**
 * The store's suites run against SQLite and against a real PostgreSQL: the unit run's global
 * setup (test/support/postgres-setup.ts) starts a throwaway cluster when Debian's postgresql is
 * installed, and each store opened here gets a database of its own in it.
 */
import { inject } from "vitest";
import { openStore } from "../open-store.js";
import type { Store, StoreIdentity } from "../types.js";
import { createDatabaseAt } from "./postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://… of the cluster's maintenance database; "" when PostgreSQL is not installed. */
    postgresAdminUrl: string;
  }
}

export interface StoreKind {
  readonly name: "sqlite" | "postgres";
  /** A new, empty store of this kind. */
  open(identity?: StoreIdentity): Promise<Store>;
}

/** A new, empty Postgres database's URL; undefined when no cluster runs for this test run. */
export async function newPostgresUrl(): Promise<string | undefined> {
  const adminUrl = inject("postgresAdminUrl");
  return adminUrl ? await createDatabaseAt(adminUrl) : undefined;
}

export function storeKinds(): StoreKind[] {
  const withIdentity = (identity: StoreIdentity | undefined) => (identity ? { identity } : {});
  const sqlite: StoreKind = { name: "sqlite", open: (identity) => openStore({ database: ":memory:", ...withIdentity(identity) }) };
  if (!inject("postgresAdminUrl")) return [sqlite];
  const postgres: StoreKind = {
    name: "postgres",
    async open(identity) {
      const url = await newPostgresUrl();
      return openStore({ url: url ?? "", ...withIdentity(identity) });
    },
  };
  return [sqlite, postgres];
}
