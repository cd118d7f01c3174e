/** An environment's variables: listed masked; revealed, set and unset by admins, each change audited. */
import { changeProjectVariables, projectVariables } from "../../app/index.js";
import { principalOf } from "../auth.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { EnvironmentParams, RevealQuery, SetVariable, VariableChange, VariableParams, Variables } from "../schemas.js";

const TAG = "variables";
const BASE = "/api/projects/:project/environments/:environment/variables";

export function variableRoutes(server: ZodServer, { app }: ServerContext): void {
  server.get(
    BASE,
    { config: access("viewer"), schema: { ...describe("viewer", "listVariables", "the environment's variables, masked; ?reveal=true (admin) shows their values", TAG), params: EnvironmentParams, querystring: RevealQuery, response: { 200: Variables, ...ERRORS } } },
    async (request) => {
      const list = await projectVariables(app, principalOf(request), { ...request.params, reveal: request.query.reveal === "true" });
      return { environment: list.environment, version: list.version, variables: Object.fromEntries(Object.entries(list.variables).map(([k, v]) => [k, v ?? null])) };
    },
  );

  server.put(
    `${BASE}/:variable`,
    // A value may be a certificate or a key: a larger body than the rest of the API takes.
    { bodyLimit: 256 * 1024, config: access("admin"), schema: { ...describe("admin", "setVariable", "set a variable (a new version; it reaches the containers with the next deploy)", TAG), params: VariableParams, body: SetVariable, response: { 200: VariableChange, ...ERRORS } } },
    async (request) => {
      const { variable, ...where } = request.params;
      return changeProjectVariables(app, principalOf(request), { ...where, set: { [variable]: request.body.value } });
    },
  );

  server.delete(
    `${BASE}/:variable`,
    { config: access("admin"), schema: { ...describe("admin", "unsetVariable", "unset a variable (a new version)", TAG), params: VariableParams, response: { 200: VariableChange, ...ERRORS } } },
    async (request) => {
      const { variable, ...where } = request.params;
      return changeProjectVariables(app, principalOf(request), { ...where, unset: [variable] });
    },
  );
}
