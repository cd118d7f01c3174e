import type { EnvironmentConfig } from "../config/slipway-schema.js";
import { SlipwayError } from "../core/errors.js";

/** Where a build's images go on a swarm: `<registry>/<service>:<tag>`, one repository per app service. */
export function registryReference(registry: string, service: string, tag: string): string {
  return `${registry.replace(/\/+$/, "")}/${service}:${tag}`;
}

/** Credentials for a registry, as the engine takes them with a push, a service or a job. */
export interface RegistryLogin {
  /** The registry's host[:port]: what Docker keys its credentials by. */
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/** The host[:port] part of `host[:port][/path]`. */
export function registryServer(registry: string): string {
  return registry.split("/")[0] ?? registry;
}

/** `<registry>/<repository path>:<tag>` → the repository's path in the registry, and the tag. */
export function repositoryOf(reference: string, registry: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(":");
  return { repository: reference.slice(registryServer(registry).length + 1, colon), tag: reference.slice(colon + 1) };
}

/** What a loaded project says of its environment's registry login: the environment and its variables. */
export interface LoginSource {
  readonly environment: { readonly name: string; readonly settings: EnvironmentConfig | undefined };
  readonly variables: { readonly values: Readonly<Record<string, string>> };
}

/**
 * The credentials an environment's `registry_login` gives, its password read from the variable
 * it names (Slipway's store, the secrets provider or the process environment); undefined when
 * the registry wants none.
 */
export function registryLogin(project: LoginSource): RegistryLogin | undefined {
  const { name: environment, settings } = project.environment;
  const variables = project.variables.values;
  const login = settings?.registry_login;
  if (!login || settings.registry === undefined) return undefined;
  const password = Object.hasOwn(variables, login.password) ? variables[login.password] : undefined;
  if (password === undefined || password === "") {
    throw new SlipwayError(
      "E_VARIABLES_MISSING",
      `registry_login of ${environment} takes its password from the variable ${login.password}, which is not set: slipway env set ${login.password}=- --env ${environment} reads it from standard input`,
    );
  }
  return { server: registryServer(settings.registry), username: login.username, password };
}
