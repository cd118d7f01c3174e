/**
 * The web UI's API types, generated from the OpenAPI document the server serves: what
 * web/src/api/schema.ts must hold (`npm run api:types` writes it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS from "openapi-typescript";
import { createApp } from "../../src/app/index.js";
import { buildServer } from "../../src/server/server.js";

export const SCHEMA_FILE = new URL("../../web/src/api/schema.ts", import.meta.url);

/** The OpenAPI document, from a server over a throwaway home (nothing is read from it). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), "slipway-openapi-"));
  await using app = createApp({ env: { SLIPWAY_HOME: home }, identity: { pid: process.pid, hostname: hostname() } });
  const server = await buildServer({ app, version: "0.0.0" });
  try {
    return server.swagger() as unknown as Record<string, unknown>;
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

type Paths = Record<string, Record<string, { operationId?: string }>>;

/** operationId → [method, path], for the client to call an operation by its id. */
function operationTable(doc: Record<string, unknown>): string {
  const rows = Object.entries(doc.paths as Paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `  ${op.operationId ?? ""}: ["${method}", "${path}"],`));
  return `export const OPERATIONS = {\n${rows.sort().join("\n")}\n} as const;\n`;
}

export async function renderApiTypes(): Promise<string> {
  const doc = await openApiDocument();
  const types = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0]);
  return `// Generated from GET /api/openapi.json by npm run api:types: do not edit.\n${types}\n${operationTable(doc)}`;
}
