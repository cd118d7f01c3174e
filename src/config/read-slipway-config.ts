/**
 * Turns the text of `slipway.yml` into a validated config, or a list of problems that each
 * name the file, line, column and key path, with a hint for misspelt keys.
 */
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { SourceProblem } from "./compose-source.js";
import { slipwayConfigSchema, type SlipwayConfig } from "./slipway-schema.js";
import { closest } from "./suggest.js";

export type ConfigReadResult =
  | { readonly ok: true; readonly config: SlipwayConfig }
  | { readonly ok: false; readonly problems: readonly SourceProblem[] };

export function readSlipwayConfig(file: string, text: string): ConfigReadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): SourceProblem["position"] => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ position: at(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0] ?? ""}` })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = slipwayConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => describeIssue(issue, doc, at)) };
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, doc: Document, at: (offset: number) => SourceProblem["position"]): SourceProblem[] {
  if (issue.code === "invalid_union") {
    // `release: false | {…}`: report the errors of the branch the value was meant for.
    const branch = issue.errors.find((errors) => errors.every((e) => e.path.length > 0));
    if (branch) return branch.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }, doc, at));
  }
  const path = issue.path.map(String);
  const position = at(nearestNode(doc, path)?.range?.[0] ?? 0);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(issue, doc, path);
    return issue.keys.map((key) => {
      const keyNode = keyNodeAt(doc, path, key);
      const hint = closest(key, known);
      const where = [...path, key].join(".");
      return {
        position: keyNode ? at(keyNode) : position,
        message: `${where}: unknown key${hint ? `; did you mean "${hint}"?` : `; known keys here: ${known.join(", ")}`}`,
      };
    });
  }
  const where = path.length > 0 ? path.join(".") : "(top level)";
  return [{ position, message: `${where}: ${issue.message}` }];
}

/** The node at `path`, or its closest existing parent (a missing key is reported where it belongs). */
function nearestNode(doc: Document, path: readonly string[]): { range?: [number, number, number] | null } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = nodeAt(doc, path.slice(0, depth));
    if (node?.range) return node;
  }
  return undefined;
}

function nodeAt(doc: Document, path: readonly string[]): { range?: [number, number, number] | null } | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return typeof node === "object" && node !== null ? (node) : undefined;
}

function keyNodeAt(doc: Document, path: readonly string[], key: string): number | undefined {
  const parent: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    const k = pair.key as { value?: unknown; range?: [number, number, number] | null } | null;
    if (k && String(k.value) === key) return k.range?.[0];
  }
  return undefined;
}

/** The keys the schema accepts where the unknown key was found (for the hint). */
function knownKeys(_issue: Issue, _doc: Document, path: readonly string[]): string[] {
  const shape = shapeAt(path);
  return shape ? Object.keys(shape) : [];
}

function shapeAt(path: readonly string[]): Record<string, unknown> | undefined {
  let schema: unknown = slipwayConfigSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown; options?: unknown[] } }).def;
    if (!def) return undefined;
    if (def.type === "object" && def.shape) schema = def.shape[segment];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
  }
  const def = (unwrap(schema) as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === "object" ? def.shape : undefined;
}

/** Looks through optional/default/union wrappers to the object underneath. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = (current as { def?: { type?: string; innerType?: unknown; in?: unknown; options?: unknown[] } } | undefined)?.def;
    if (!def) return current;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else if (def.type === "union") current = def.options?.find((o) => (o as { def?: { type?: string } }).def?.type === "object") ?? current;
    else return current;
    if (def.type === "union") return current;
  }
  return current;
}
