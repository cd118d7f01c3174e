/**
 * `slipway env`: an environment's variables in Slipway's encrypted store. Values are masked
 * unless --reveal; `KEY=@file` and `KEY=-` (standard input) keep values out of shell history.
 * Each change is a new version; it reaches the containers with the next deploy.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { SlipwayError } from "../../core/errors.js";
import { createSealer, generateKeyText, keyMaterial, type Sealer } from "../../secrets/cipher.js";
import { dotenvText, isVariableName } from "../../secrets/env-file.js";
import { commitPendingKey, KEY_VARIABLE, keyFilePath, masterSealer, pendingKeyPath, writePendingKey } from "../../secrets/master-key.js";
import { variablesDigest } from "../../pipeline/release-snapshot.js";
import type { ComposeModel } from "../../plan/compose-model.js";
import { changeVariables, readVariables } from "../../secrets/variables-store.js";
import type { CommandContext } from "../context.js";
import { actorOf } from "./deploy.js";
import { ago, openEnvironment, table, type OpenEnvironment } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export interface EnvFlags extends ProjectFlags {
  readonly reveal?: boolean;
  readonly json?: boolean;
}

const MASKED = "*****";

function where(ctx: CommandContext, env: OpenEnvironment): { environment: string; keyFile: string } {
  return { environment: env.project.environment.name, keyFile: keyFilePath(ctx.home) };
}

async function current(ctx: CommandContext, env: OpenEnvironment, sealer: Sealer | undefined) {
  return readVariables(env.runtime.deps.store, env.environmentId, sealer, where(ctx, env));
}

export async function runEnvList(ctx: CommandContext, flags: EnvFlags): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const stored = await current(ctx, env, masterSealer(ctx.home, ctx.io.env, { create: false }));
  const names = Object.keys(stored.values).sort();
  const shown = (name: string): string => (flags.reveal ? (stored.values[name] ?? "") : MASKED);
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify({ environment: env.project.environment.name, version: stored.version, variables: Object.fromEntries(names.map((n) => [n, shown(n)])) }, null, 2)}\n`);
    return 0;
  }
  if (names.length === 0) {
    ctx.io.stdout(`no variables set for ${env.project.environment.name}: slipway env set KEY=VALUE --env ${env.project.environment.name}\n`);
    return 0;
  }
  const history = await env.runtime.deps.store.variableHistory(env.environmentId);
  const last = history[0];
  ctx.io.stdout(`${env.project.environment.name}: ${names.length} variable${names.length === 1 ? "" : "s"}, version ${stored.version ?? "-"}${last ? ` (by ${last.actor}, ${ago(last.createdAt)})` : ""}\n`);
  // --reveal prints through the redactor's raw side: the user asked to see them.
  const rows = [["NAME", "VALUE"], ...names.map((n) => [n, shown(n)])];
  (flags.reveal ? ctx.io.stdoutRaw ?? ctx.io.stdout : ctx.io.stdout)(table(rows));
  return 0;
}

/** `KEY=VALUE`, `KEY=@file`, `KEY=-` (standard input, one trailing newline dropped). */
export async function parseAssignments(args: readonly string[], read: { file: (path: string) => string; stdin: () => Promise<string> }): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  let stdinUsed = false;
  for (const arg of args) {
    const at = arg.indexOf("=");
    const key = at < 0 ? arg : arg.slice(0, at);
    if (at < 0) throw new SlipwayError("E_USAGE", `${arg}: write KEY=VALUE, KEY=@file or KEY=- (standard input)`);
    if (!isVariableName(key)) throw new SlipwayError("E_USAGE", `${key}: a variable name is letters, digits and _, not starting with a digit`);
    const raw = arg.slice(at + 1);
    if (raw === "-") {
      if (stdinUsed) throw new SlipwayError("E_USAGE", "only one value can come from standard input (KEY=-)");
      stdinUsed = true;
      values[key] = (await read.stdin()).replace(/\r?\n$/, "");
    } else if (raw.startsWith("@") && raw.length > 1) {
      const path = raw.slice(1);
      if (!existsSync(path)) throw new SlipwayError("E_FILE_MISSING", `${key}=@${path}: no such file (a value starting with @ is read from that file; use ${key}=- to give it on standard input)`);
      values[key] = read.file(path);
    } else {
      values[key] = raw;
    }
  }
  return values;
}

async function change(ctx: CommandContext, flags: EnvFlags, body: { set?: Record<string, string>; unset?: string[] }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const name = env.project.environment.name;
  ctx.redactor.add(Object.values(body.set ?? {}));
  const result = await changeVariables(env.runtime.deps.store, env.environmentId, masterSealer(ctx.home, ctx.io.env, { create: true }) as Sealer, {
    ...body,
    actor: actorOf(ctx.io.env),
    ...where(ctx, env),
  });
  const { set, unset } = result.changes;
  if (set.length === 0 && unset.length === 0) {
    ctx.io.stdout(`nothing changed in ${name} (version ${result.version ?? "-"})\n`);
    return 0;
  }
  const said = [set.length > 0 ? `set ${set.join(", ")}` : "", unset.length > 0 ? `unset ${unset.join(", ")}` : ""].filter(Boolean).join("; ");
  ctx.io.stdout(`${said} in ${name}: version ${result.version}. Running containers keep their values until the next deploy (slipway deploy --env ${name}).\n`);
  return 0;
}

export async function runEnvSet(ctx: CommandContext, assignments: readonly string[], flags: EnvFlags): Promise<number> {
  if (assignments.length === 0) throw new SlipwayError("E_USAGE", "slipway env set KEY=VALUE …: name at least one variable");
  const stdin = ctx.io.readStdin ?? (() => Promise.reject(new SlipwayError("E_USAGE", "standard input cannot be read here")));
  const set = await parseAssignments(assignments, { file: (path) => readFileSync(path, "utf8"), stdin });
  return change(ctx, flags, { set });
}

export async function runEnvUnset(ctx: CommandContext, names: readonly string[], flags: EnvFlags): Promise<number> {
  if (names.length === 0) throw new SlipwayError("E_USAGE", "slipway env unset KEY …: name at least one variable");
  for (const name of names) if (!isVariableName(name)) throw new SlipwayError("E_USAGE", `${name}: not a variable name`);
  return change(ctx, flags, { unset: [...names] });
}

export async function runEnvImport(ctx: CommandContext, file: string, flags: EnvFlags): Promise<number> {
  let text: string;
  if (file === "-") {
    if (!ctx.io.readStdin) throw new SlipwayError("E_USAGE", "standard input cannot be read here");
    text = await ctx.io.readStdin();
  } else {
    if (!existsSync(file)) throw new SlipwayError("E_FILE_MISSING", `${file}: no such file`);
    text = readFileSync(file, "utf8");
  }
  const set = parseDotenv(text);
  const bad = Object.keys(set).filter((key) => !isVariableName(key));
  if (bad.length > 0) throw new SlipwayError("E_USAGE", `${file}: not variable names: ${bad.join(", ")}`);
  if (Object.keys(set).length === 0) throw new SlipwayError("E_USAGE", `${file} holds no KEY=VALUE line (dotenv format)`);
  return change(ctx, flags, { set });
}

export async function runEnvExport(ctx: CommandContext, flags: EnvFlags): Promise<number> {
  if (!flags.reveal) throw new SlipwayError("E_USAGE", "slipway env export prints every value in clear: add --reveal (and keep the output safe)");
  await using env = await openEnvironment(ctx, flags);
  const stored = await current(ctx, env, masterSealer(ctx.home, ctx.io.env, { create: false }));
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(dotenvText(stored.values));
  return 0;
}

export function runEnvGenerateKey(ctx: CommandContext): number {
  ctx.io.stdout(`${generateKeyText()}\n`);
  return 0;
}

/**
 * Re-encrypts every sealed value under a new key, in one transaction. With a key file, the new
 * key is written beside it first and renamed over it only after the store committed; with
 * SLIPWAY_MASTER_KEY, the new key comes from SLIPWAY_NEW_MASTER_KEY.
 */
export async function runEnvRotateKey(ctx: CommandContext, _flags: ProjectFlags): Promise<number> {
  const { openRuntime } = await import("../runtime.js");
  await using runtime = await openRuntime(ctx);
  const { store } = runtime.deps;
  const fromEnv = ctx.io.env[KEY_VARIABLE] !== undefined && ctx.io.env[KEY_VARIABLE] !== "";
  const old = masterSealer(ctx.home, ctx.io.env, { create: false });
  let newText: string;
  if (fromEnv) {
    const given = ctx.io.env.SLIPWAY_NEW_MASTER_KEY;
    if (!given) throw new SlipwayError("E_USAGE", `the key comes from ${KEY_VARIABLE}: give the new one in SLIPWAY_NEW_MASTER_KEY (slipway env generate-key makes one), then set ${KEY_VARIABLE} to it`);
    newText = given.trim();
  } else {
    newText = generateKeyText();
  }
  const next = createSealer(keyMaterial(newText, fromEnv ? "SLIPWAY_NEW_MASTER_KEY" : "the new key"), "the new key");
  if (!fromEnv) writePendingKey(ctx.home, newText);
  let count: number;
  try {
    count = await store.reseal((entry) => {
      if (!old) throw new SlipwayError("E_SECRET_KEY", `the store holds encrypted values, and there is no master key here: set ${KEY_VARIABLE}, or restore ${keyFilePath(ctx.home)}`);
      const plain = old.open(entry.sealed, entry.table === "releases" ? "a release's configuration" : "an environment's variables");
      if (entry.table === "variable_versions") return { sealed: next.seal(plain) };
      return { sealed: next.seal(plain), digest: variablesDigest((JSON.parse(plain) as { model: ComposeModel }).model, next) };
    });
  } catch (error) {
    rmSync(pendingKeyPath(ctx.home), { force: true });
    throw error;
  }
  if (!fromEnv) commitPendingKey(ctx.home);
  const done = `re-encrypted ${count} sealed value${count === 1 ? "" : "s"} under the new key`;
  ctx.io.stdout(fromEnv ? `${done}: set ${KEY_VARIABLE} to the value of SLIPWAY_NEW_MASTER_KEY now, everywhere Slipway runs\n` : `${done}; the key file ${keyFilePath(ctx.home)} holds it\n`);
  return 0;
}
