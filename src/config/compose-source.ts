/**
 * Reads the raw text of a compose file (not its meaning: compose does that) to find every
 * `${VAR}` reference with its line and column, and YAML syntax errors with theirs.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Scalar } from "yaml";
import { locatePaths, type LocatedPath } from "./compose-paths.js";
import { parseInterpolation, type VariableReference } from "./interpolation.js";
import type { SourcePosition } from "./source-position.js";

export type { SourcePosition } from "./source-position.js";

export interface LocatedReference {
  readonly reference: VariableReference;
  readonly position: SourcePosition;
  /** Where each nested reference (inside a default or alternate) sits, by its offset. */
  readonly nested: ReadonlyMap<number, SourcePosition>;
  /** The keys of the mappings that hold it, from the top: `["services", "web", "image"]`. */
  readonly keys: readonly string[];
}

export interface SourceProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

export interface ScannedSource {
  readonly file: string;
  readonly references: readonly LocatedReference[];
  readonly problems: readonly SourceProblem[];
  /** Top-level service names this file declares (used to classify before compose runs). */
  readonly serviceNames: readonly string[];
  /** The host paths its services are built from or read (build contexts, dockerfiles, env files). */
  readonly paths: readonly LocatedPath[];
}

function positionOf(lines: LineCounter, file: string, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

function locate(refs: readonly VariableReference[], lines: LineCounter, file: string, keys: readonly string[]): LocatedReference[] {
  const nestedOf = (ref: VariableReference, into: Map<number, SourcePosition>): Map<number, SourcePosition> => {
    for (const inner of ref.nested) {
      into.set(inner.offset, positionOf(lines, file, inner.offset));
      nestedOf(inner, into);
    }
    return into;
  };
  return refs.map((reference) => ({ reference, position: positionOf(lines, file, reference.offset), nested: nestedOf(reference, new Map()), keys }));
}

/** The offset where a scalar's value starts: after a block scalar's header line and its comment. */
function valueStart(node: Scalar, text: string, start: number): number {
  if (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") return start;
  const newline = text.indexOf("\n", start);
  return newline < 0 ? start : newline + 1;
}

/** Service names in file order, through an alias or merge keys (`<<: *base`) if used. */
function serviceNamesOf(doc: Document): string[] {
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const names = (node: unknown): string[] => {
    const map = resolve(node);
    if (!isMap(map)) return [];
    return map.items.flatMap((pair) => {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (key === "<<" || (typeof key === "symbol" && key.description === "<<")) {
        const value = resolve(pair.value);
        return isSeq(value) ? value.items.flatMap(names) : names(value);
      }
      return [String(key)];
    });
  };
  return [...new Set(names(doc.get("services", true)))];
}

export function scanComposeSource(file: string, text: string): ScannedSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      file,
      references: [],
      serviceNames: [],
      paths: [],
      problems: doc.errors.map((error) => ({
        position: positionOf(lines, file, error.pos[0]),
        message: `invalid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  const references: LocatedReference[] = [];
  const problems: SourceProblem[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      // Compose interpolates values only, never mapping keys.
      if (key === "key" || typeof node.value !== "string" || !node.range) return;
      const start = valueStart(node, text, node.range[0]);
      const parsed = parseInterpolation(text.slice(start, node.range[1]), start);
      references.push(...locate(parsed.references, lines, file, keysOf(path)));
      for (const error of parsed.errors) problems.push({ position: positionOf(lines, file, error.offset), message: error.message });
    },
  });
  return { file, references, problems, serviceNames: serviceNamesOf(doc), paths: locatePaths(file, doc, lines) };
}

function keysOf(path: readonly unknown[]): string[] {
  return path.filter(isPair).map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
}

function mentions(reference: VariableReference, variable: string): boolean {
  return reference.name === variable || reference.nested.some((inner) => mentions(inner, variable));
}

/** The services whose `image:` names a variable (`image: app:${TAG}`), in any of the files. */
export function servicesWhoseImageNames(sources: readonly ScannedSource[], variable: string): string[] {
  const names = sources.flatMap((source) =>
    source.references
      .filter((r) => r.keys.length === 3 && r.keys[0] === "services" && r.keys[2] === "image" && mentions(r.reference, variable))
      .map((r) => r.keys[1] ?? ""),
  );
  return [...new Set(names)];
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

