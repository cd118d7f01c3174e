/**
 * `slipway env`: an environment's variables in Slipway's encrypted store. Values are masked
 * unless --reveal; `KEY=@file` and `KEY=-` (standard input) keep values out of shell history.
 */
import { existsSync, readFileSync } from "node:fs";
import { SlipwayError } from "../../app/errors.js";
import { changeEnvironmentVariables, exportVariables, generateKeyText, isVariableName, listVariables, parseDotenvText, rotateKey, type ChangeOutcome } from "../../app/variables.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { ago, table } from "../render.js";

export interface EnvFlags extends ProjectFlags {
  readonly reveal?: boolean;
  readonly json?: boolean;
}

const MASKED = "*****";

export async function runEnvList(ctx: CommandContext, flags: EnvFlags): Promise<number> {
  const list = await listVariables(ctx.app, { ...projectOf(ctx, flags), reveal: flags.reveal ?? false });
  const names = Object.keys(list.variables);
  const shown = (name: string): string => list.variables[name] ?? MASKED;
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify({ environment: list.environment, version: list.version, variables: Object.fromEntries(names.map((n) => [n, shown(n)])) }, null, 2)}\n`);
    return 0;
  }
  if (names.length === 0) {
    ctx.io.stdout(`no variables set for ${list.environment}: slipway env set KEY=VALUE --env ${list.environment}\n`);
    return 0;
  }
  const { last } = list;
  ctx.io.stdout(`${list.environment}: ${names.length} variable${names.length === 1 ? "" : "s"}, version ${list.version ?? "-"}${last ? ` (by ${last.actor}, ${ago(last.createdAt)})` : ""}\n`);
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

function renderChange(outcome: ChangeOutcome): string {
  const { set, unset, environment } = outcome;
  if (set.length === 0 && unset.length === 0) return `nothing changed in ${environment} (version ${outcome.version ?? "-"})\n`;
  const said = [set.length > 0 ? `set ${set.join(", ")}` : "", unset.length > 0 ? `unset ${unset.join(", ")}` : ""].filter(Boolean).join("; ");
  return `${said} in ${environment}: version ${outcome.version}. Running containers keep their values until the next deploy (slipway deploy --env ${environment}).\n`;
}

async function change(ctx: CommandContext, flags: EnvFlags, body: { set?: Record<string, string>; unset?: string[] }): Promise<number> {
  ctx.io.stdout(renderChange(await changeEnvironmentVariables(ctx.app, { ...projectOf(ctx, flags), ...body, actor: actorOf(ctx) })));
  return 0;
}

function stdinOf(ctx: CommandContext): () => Promise<string> {
  return ctx.io.readStdin ?? (() => Promise.reject(new SlipwayError("E_USAGE", "standard input cannot be read here")));
}

export async function runEnvSet(ctx: CommandContext, assignments: readonly string[], flags: EnvFlags): Promise<number> {
  if (assignments.length === 0) throw new SlipwayError("E_USAGE", "slipway env set KEY=VALUE …: name at least one variable");
  const set = await parseAssignments(assignments, { file: (path) => readFileSync(path, "utf8"), stdin: stdinOf(ctx) });
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
    text = await stdinOf(ctx)();
  } else {
    if (!existsSync(file)) throw new SlipwayError("E_FILE_MISSING", `${file}: no such file`);
    text = readFileSync(file, "utf8");
  }
  return change(ctx, flags, { set: parseDotenvText(text, file) });
}

export async function runEnvExport(ctx: CommandContext, flags: EnvFlags): Promise<number> {
  if (!flags.reveal) throw new SlipwayError("E_USAGE", "slipway env export prints every value in clear: add --reveal (and keep the output safe)");
  (ctx.io.stdoutRaw ?? ctx.io.stdout)(await exportVariables(ctx.app, projectOf(ctx, flags)));
  return 0;
}

export function runEnvGenerateKey(ctx: CommandContext): number {
  ctx.io.stdout(`${generateKeyText()}\n`);
  return 0;
}

export async function runEnvRotateKey(ctx: CommandContext): Promise<number> {
  const outcome = await rotateKey(ctx.app);
  const done = `re-encrypted ${outcome.count} sealed value${outcome.count === 1 ? "" : "s"} under the new key`;
  ctx.io.stdout(outcome.fromEnvironment ? `${done}: set SLIPWAY_MASTER_KEY to the value of SLIPWAY_NEW_MASTER_KEY now, everywhere Slipway runs\n` : `${done}; the key file ${outcome.keyFile} holds it\n`);
  return 0;
}
