/**
 * Reads the raw text of a compose file (not its meaning: compose does that) to find every
 * `${VAR}` reference with its line and column, and YAML syntax errors with theirs.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { parseInterpolation, type VariableReference } from "./interpolation.js";

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface LocatedReference {
  readonly reference: VariableReference;
  readonly position: SourcePosition;
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
}

function positionOf(lines: LineCounter, file: string, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

/** Rebases nested references onto the file offsets they were parsed at. */
function locate(refs: readonly VariableReference[], lines: LineCounter, file: string): LocatedReference[] {
  return refs.map((reference) => ({ reference, position: positionOf(lines, file, reference.offset) }));
}

export function scanComposeSource(file: string, text: string): ScannedSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      file,
      references: [],
      serviceNames: [],
      problems: doc.errors.map((error) => ({
        position: positionOf(lines, file, error.pos[0]),
        message: `invalid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  const references: LocatedReference[] = [];
  const problems: SourceProblem[] = [];
  visit(doc, {
    Scalar(key, node) {
      // Compose interpolates values only, never mapping keys.
      if (key === "key" || typeof node.value !== "string" || !node.range) return;
      const [start, end] = node.range;
      const parsed = parseInterpolation(text.slice(start, end), start);
      references.push(...locate(parsed.references, lines, file));
      for (const error of parsed.errors) problems.push({ position: positionOf(lines, file, error.offset), message: error.message });
    },
  });
  const services: unknown = doc.get("services", true);
  const serviceNames = isMap(services) ? services.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
  return { file, references, problems, serviceNames };
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

