/**
 * The web UI's client is typed from the OpenAPI document: when a route or a schema changes and
 * web/src/api/schema.ts was not generated again, this fails (npm run api:types writes it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderApiTypes, SCHEMA_FILE } from "../support/api-types.js";

describe("the web UI's API types", () => {
  it("are the ones the OpenAPI document gives", async () => {
    const expected = await renderApiTypes();
    if (process.env.SLIPWAY_WRITE_API_TYPES === "1") writeFileSync(SCHEMA_FILE, expected);
    expect(readFileSync(SCHEMA_FILE, "utf8"), "web/src/api/schema.ts is out of date: run npm run api:types").toBe(expected);
  });
});
