/** The audit log as a reader may see it: a project-scoped principal sees its project's entries only. */
import type { AuditRow } from "../store/server-types.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";

export type { AuditRow } from "../store/server-types.js";

export async function auditLog(app: App, principal: Principal, request: { limit: number; before?: number }): Promise<AuditRow[]> {
  const { store } = await app.deps();
  return store.auditLog({ limit: request.limit, ...(request.before !== undefined ? { before: request.before } : {}), ...(principal.project ? { project: principal.project } : {}) });
}
