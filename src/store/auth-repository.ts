/** Users (a scrypt hash of each password) and tokens (a digest of each): the texts are never stored. */
import type { Kysely, Selectable } from "kysely";
import { SlipwayError } from "../core/errors.js";
import type { Database, TokensTable } from "./schema.js";
import { fromTimestamp, toTimestamp } from "./time.js";
import type { AuthMethods, Role, TokenKind, TokenRow } from "./server-types.js";
import type { StoreIdentity } from "./types.js";

function toToken(row: Selectable<TokensTable> & { user_name?: string | null }): TokenRow {
  return {
    id: row.id,
    kind: row.kind as TokenKind,
    role: row.role as Role,
    ...(row.project !== null ? { project: row.project } : {}),
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    ...(row.user_name ? { userName: row.user_name } : {}),
    description: row.description,
    createdAt: fromTimestamp(row.created_at),
    ...(row.expires_at !== null ? { expiresAt: fromTimestamp(row.expires_at) } : {}),
    ...(row.revoked_at !== null ? { revokedAt: fromTimestamp(row.revoked_at) } : {}),
  };
}

export function authRepository(db: Kysely<Database>, { now }: StoreIdentity): AuthMethods {
  return {
    async createUser(u) {
      const row = await db
        .insertInto("users")
        .values({ name: u.name, role: u.role, password_hash: u.passwordHash, created_at: toTimestamp(now()) })
        .onConflict((oc) => oc.column("name").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!row) throw new SlipwayError("E_EXISTS", `a user named ${u.name} exists already`);
      return row.id;
    },

    async user(name) {
      const row = await db.selectFrom("users").selectAll().where("name", "=", name).executeTakeFirst();
      return row && { id: row.id, name: row.name, role: row.role as Role, passwordHash: row.password_hash, createdAt: fromTimestamp(row.created_at) };
    },

    async users() {
      const rows = await db.selectFrom("users").select(["id", "name", "role", "created_at"]).orderBy("name").execute();
      return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: fromTimestamp(r.created_at) }));
    },

    async createToken(t) {
      const row = await db
        .insertInto("tokens")
        .values({
          digest: t.digest,
          kind: t.kind,
          role: t.role,
          project: t.project ?? null,
          user_id: t.userId ?? null,
          description: t.description,
          created_at: toTimestamp(now()),
          expires_at: t.expiresAt ? toTimestamp(t.expiresAt) : null,
          revoked_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async tokenByDigest(digest) {
      const row = await db.selectFrom("tokens").leftJoin("users", "users.id", "tokens.user_id").selectAll("tokens").select("users.name as user_name").where("digest", "=", digest).executeTakeFirst();
      return row && toToken(row);
    },

    async tokens() {
      const rows = await db.selectFrom("tokens").selectAll().where("kind", "=", "api").orderBy("id", "desc").execute();
      return rows.map(toToken);
    },

    async revokeToken(id) {
      const result = await db.updateTable("tokens").set({ revoked_at: toTimestamp(now()) }).where("id", "=", id).where("kind", "=", "api").where("revoked_at", "is", null).executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async revokeDigest(digest) {
      await db.updateTable("tokens").set({ revoked_at: toTimestamp(now()) }).where("digest", "=", digest).where("revoked_at", "is", null).execute();
    },
  };
}
