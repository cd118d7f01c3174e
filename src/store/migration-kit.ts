/** What every migration shares: the dialects, and the one column they spell differently. */
import type { ColumnDefinitionBuilder, CreateTableBuilder } from "kysely";

export type DialectKind = "sqlite" | "postgres";

export type Table = CreateTableBuilder<string, never>;

export function withId(table: Table, dialect: DialectKind): Table {
  // SQLite: AUTOINCREMENT so that an id (a deployment's, named in logs and output) is never reused.
  return table.addColumn("id", "integer", (col: ColumnDefinitionBuilder) =>
    dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
  );
}

