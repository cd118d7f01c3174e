/**
 * Variables from Slipway's store and a provider win over a service's own values of the same
 * name (its `environment:` and `env_file:`), so `slipway env set` changes what a container gets
 * without editing the compose files. Only names a service declares: nothing is added to a
 * container that did not ask for it (accessories' images never receive an app's secrets).
 */
import { isSecretName } from "../config/variables.js";
import type { ComposeModel } from "./compose-model.js";

/** The model as `config` prints it: `$` in values escaped as `$$`. */
export function applyRuntimeVariables(model: ComposeModel, overrides: Readonly<Record<string, string>>): ComposeModel {
  if (Object.keys(overrides).length === 0) return model;
  const services = Object.fromEntries(
    Object.entries(model.services).map(([name, service]) => {
      const environment = service.environment;
      if (!environment) return [name, service];
      const next = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, Object.hasOwn(overrides, key) ? (overrides[key] ?? "").replaceAll("$", "$$$$") : value]));
      return [name, { ...service, environment: next }];
    }),
  );
  return { ...model, services };
}

/** Every value a container of the model gets under a secret-looking name (`POSTGRES_PASSWORD: x`). */
export function secretValuesOf(model: ComposeModel): string[] {
  return Object.values(model.services).flatMap((service) =>
    Object.entries(service.environment ?? {})
      .filter((entry): entry is [string, string] => typeof entry[1] === "string" && isSecretName(entry[0]))
      .map(([, value]) => value.replaceAll("$$", "$")),
  );
}

/**
 * The variables a service's containers get, from a model whose values are as compose's config
 * prints them (`$` escaped as `$$`): those it leaves unset (a bare `- NAME`) stay unset.
 */
export function serviceVariables(environment: Readonly<Record<string, string | null>> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment ?? {})
      .filter((entry): entry is [string, string] => typeof entry[1] === "string")
      .map(([key, value]) => [key, value.replaceAll("$$", "$")]),
  );
}
