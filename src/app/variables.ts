/**
 * Variables: an environment's values in Slipway's encrypted store. Each change is a new
 * version; it reaches the containers with the next deploy.
 */
import { rmSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { SlipwayError } from "../core/errors.js";
import { variablesDigest } from "../pipeline/release-snapshot.js";
import type { ComposeModel } from "../plan/compose-model.js";
import { createSealer, generateKeyText, keyMaterial, type Sealer } from "../secrets/cipher.js";
import { dotenvText, isVariableName } from "../secrets/env-file.js";
import { commitPendingKey, KEY_VARIABLE, keyFilePath, pendingKeyPath, writePendingKey } from "../secrets/master-key.js";
import { changeVariables, readVariables } from "../secrets/variables-store.js";
import type { App } from "./app.js";
import type { SealedEntry } from "../store/store.js";
import { openEnvironment, type OpenEnvironment, type ProjectRequest } from "./project.js";

export { generateKeyText } from "../secrets/cipher.js";
export { isVariableName } from "../secrets/env-file.js";

export interface VariableList {
  readonly environment: string;
  readonly version: number | null;
  /** Values only when revealed. */
  readonly variables: Readonly<Record<string, string | undefined>>;
  readonly last?: { readonly actor: string; readonly createdAt: Date };
}

async function current(app: App, env: OpenEnvironment, sealer: Sealer | undefined) {
  const { store } = await app.deps();
  return readVariables(store, env.environmentId, sealer, { environment: env.project.environment.name, keyFile: keyFilePath(app.home) });
}

export async function listVariables(app: App, request: ProjectRequest & { reveal?: boolean }): Promise<VariableList> {
  const env = await openEnvironment(app, request);
  const stored = await current(app, env, app.sealer({ create: false }));
  const names = Object.keys(stored.values).sort();
  const { store } = await app.deps();
  const last = (await store.variableHistory(env.environmentId))[0];
  return {
    environment: env.project.environment.name,
    version: stored.version,
    variables: Object.fromEntries(names.map((n) => [n, request.reveal ? stored.values[n] : undefined])),
    ...(last ? { last: { actor: last.actor, createdAt: last.createdAt } } : {}),
  };
}

export interface VariableChange extends ProjectRequest {
  readonly set?: Readonly<Record<string, string>>;
  readonly unset?: readonly string[];
  readonly actor: string;
}

export interface ChangeOutcome {
  readonly environment: string;
  readonly version: number | null;
  readonly set: readonly string[];
  readonly unset: readonly string[];
}

export async function changeEnvironmentVariables(app: App, request: VariableChange): Promise<ChangeOutcome> {
  for (const name of [...Object.keys(request.set ?? {}), ...(request.unset ?? [])]) {
    if (!isVariableName(name)) throw new SlipwayError("E_USAGE", `${name}: a variable name is letters, digits and _, not starting with a digit`);
  }
  const env = await openEnvironment(app, request);
  app.redactor.add(Object.values(request.set ?? {}));
  const { store } = await app.deps();
  const result = await changeVariables(store, env.environmentId, app.sealer({ create: true }) as Sealer, {
    ...(request.set ? { set: { ...request.set } } : {}),
    ...(request.unset ? { unset: [...request.unset] } : {}),
    actor: request.actor,
    environment: env.project.environment.name,
    keyFile: keyFilePath(app.home),
  });
  return { environment: env.project.environment.name, version: result.version, set: result.changes.set, unset: result.changes.unset };
}

/** The KEY=VALUE lines of a dotenv text; refuses names that are not variable names, and an empty file. */
export function parseDotenvText(text: string, file: string): Record<string, string> {
  const set = parseDotenv(text);
  const bad = Object.keys(set).filter((key) => !isVariableName(key));
  if (bad.length > 0) throw new SlipwayError("E_USAGE", `${file}: not variable names: ${bad.join(", ")}`);
  if (Object.keys(set).length === 0) throw new SlipwayError("E_USAGE", `${file} holds no KEY=VALUE line (dotenv format)`);
  return set;
}

/** Every value, in clear, as a dotenv text: for a backup. */
export async function exportVariables(app: App, request: ProjectRequest): Promise<string> {
  const env = await openEnvironment(app, request);
  const stored = await current(app, env, app.sealer({ create: false }));
  return dotenvText(stored.values);
}

export interface RotateOutcome {
  readonly count: number;
  /** The key came from SLIPWAY_MASTER_KEY: the user must set it to the new one everywhere. */
  readonly fromEnvironment: boolean;
  readonly keyFile: string;
}

/** What each sealed entry is, for the error when the key does not open it. */
const SEALED_WHAT: Record<SealedEntry["table"], string> = {
  releases: "a release's configuration",
  variable_versions: "an environment's variables",
  notification_targets: "a notification target's secret",
  status_targets: "a commit-status token",
};

/**
 * Re-encrypts every sealed value under a new key, in one transaction. With a key file, the new
 * key is written beside it first and renamed over it only after the store committed; with
 * SLIPWAY_MASTER_KEY, the new key comes from SLIPWAY_NEW_MASTER_KEY.
 */
export async function rotateKey(app: App): Promise<RotateOutcome> {
  const { store } = await app.deps();
  const fromEnvironment = app.env[KEY_VARIABLE] !== undefined && app.env[KEY_VARIABLE] !== "";
  const old = app.sealer({ create: false });
  let newText: string;
  if (fromEnvironment) {
    const given = app.env.SLIPWAY_NEW_MASTER_KEY;
    if (!given) throw new SlipwayError("E_USAGE", `the key comes from ${KEY_VARIABLE}: give the new one in SLIPWAY_NEW_MASTER_KEY (a generated key will do), then set ${KEY_VARIABLE} to it`);
    newText = given.trim();
  } else {
    newText = generateKeyText();
  }
  const next = createSealer(keyMaterial(newText, fromEnvironment ? "SLIPWAY_NEW_MASTER_KEY" : "the new key"), "the new key");
  if (!fromEnvironment) writePendingKey(app.home, newText);
  let count: number;
  try {
    count = await store.reseal((entry) => {
      if (!old) throw new SlipwayError("E_SECRET_KEY", `the store holds encrypted values, and there is no master key here: set ${KEY_VARIABLE}, or restore ${keyFilePath(app.home)}`);
      const plain = old.open(entry.sealed, SEALED_WHAT[entry.table]);
      if (entry.table !== "releases") return { sealed: next.seal(plain) };
      return { sealed: next.seal(plain), digest: variablesDigest((JSON.parse(plain) as { model: ComposeModel }).model, next) };
    });
  } catch (error) {
    rmSync(pendingKeyPath(app.home), { force: true });
    throw error;
  }
  if (!fromEnvironment) commitPendingKey(app.home);
  return { count, fromEnvironment, keyFile: keyFilePath(app.home) };
}
