/**
 * A registered project's variables for the server: listed masked, revealed and changed by
 * admins only; every change in the audit log, by name, never by value.
 */
import type { App } from "./app.js";
import { requireRole, type Principal } from "./access.js";
import { environmentOf } from "./registry.js";
import { changeEnvironmentVariables, listVariables, type ChangeOutcome, type VariableList } from "./variables.js";

export interface EnvironmentRef {
  readonly project: string;
  readonly environment: string;
}

export async function projectVariables(app: App, principal: Principal, request: EnvironmentRef & { reveal: boolean }): Promise<VariableList> {
  const { project } = await environmentOf(app, principal, request);
  if (request.reveal) requireRole(principal, "admin");
  const list = await listVariables(app, { dir: project.path, name: project.name, environment: request.environment, reveal: request.reveal });
  if (request.reveal) await (await app.deps()).store.audit({ actor: principal.actor, action: "variables.reveal", project: project.name, environment: request.environment, detail: { names: Object.keys(list.variables) } });
  return list;
}

export async function changeProjectVariables(app: App, principal: Principal, request: EnvironmentRef & { set?: Readonly<Record<string, string>>; unset?: readonly string[] }): Promise<ChangeOutcome> {
  requireRole(principal, "admin");
  const { project } = await environmentOf(app, principal, request);
  const outcome = await changeEnvironmentVariables(app, {
    dir: project.path,
    name: project.name,
    environment: request.environment,
    actor: principal.actor,
    ...(request.set ? { set: request.set } : {}),
    ...(request.unset ? { unset: request.unset } : {}),
  });
  await (await app.deps()).store.audit({ actor: principal.actor, action: "variables.change", project: project.name, environment: request.environment, detail: { version: outcome.version, set: outcome.set, unset: outcome.unset } });
  return outcome;
}
