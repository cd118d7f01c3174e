/**
 * The sources above the process environment, for loading a project: Slipway's store (read
 * without creating anything; a home with no store has no variables), then the provider. Both
 * are secret: their values are fed to the redactor as soon as they are known.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { VariableSource } from "../config/variables.js";
import type { VariableSourcesFn, VariableTarget } from "../project/load-project.js";
import { DATABASE_FILE } from "../store/home.js";
import type { Store } from "../store/store.js";
import { describeProvider, dopplerSecrets } from "./doppler.js";
import { keyFilePath, masterSealer } from "./master-key.js";
import type { Redactor } from "./redact.js";
import { readVariables, type StoredVariables } from "./variables-store.js";

export interface SourcesOptions {
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly redactor: Redactor;
  /** An open store to read from (a deploy's); else one is opened for the read and closed. */
  readonly store?: () => Promise<Store>;
}

export const STORE_SOURCE = "slipway env";

async function environmentId(store: Store, target: VariableTarget): Promise<number | undefined> {
  const projectId = await store.projectId(target.project);
  if (projectId === undefined) return undefined;
  return (await store.environments(projectId)).find((e) => e.name === target.environment)?.id;
}

async function stored(options: SourcesOptions, target: VariableTarget): Promise<StoredVariables> {
  const where = { environment: target.environment, keyFile: keyFilePath(options.home) };
  const read = async (store: Store): Promise<StoredVariables> => {
    const id = await environmentId(store, target);
    return id === undefined ? { version: null, values: {} } : readVariables(store, id, masterSealer(options.home, options.env, { create: false }), where);
  };
  if (options.store) return read(await options.store());
  if (!existsSync(join(options.home, DATABASE_FILE))) return { version: null, values: {} };
  // Loaded only when there is a store to read: the driver is a native module.
  const { openStore } = await import("../store/open-store.js");
  await using store = await openStore({ home: options.home });
  return await read(store);
}

export function storeSourceName(version: number | null): string {
  return version === null ? STORE_SOURCE : `${STORE_SOURCE} (version ${version})`;
}

export function variableSources(options: SourcesOptions): VariableSourcesFn {
  return async (target) => {
    const [fromStore, fromProvider] = await Promise.all([stored(options, target), target.secrets ? dopplerSecrets(target.secrets, options.env) : undefined]);
    options.redactor.add(Object.values(fromStore.values));
    if (fromProvider) options.redactor.add(Object.values(fromProvider));
    const sources: VariableSource[] = [{ name: storeSourceName(fromStore.version), values: fromStore.values, secret: true, ...(fromStore.version !== null ? { version: fromStore.version } : {}) }];
    if (fromProvider && target.secrets) sources.push({ name: describeProvider(target.secrets), values: fromProvider, secret: true });
    return sources;
  };
}
