/**
 * Parses Compose-style interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` escapes) to find the
 * variables a text refers to and where. Compose itself does the substitution; this only tells
 * Slipway's preflight which variables a file needs, at which offsets, before compose runs.
 */

export type ReferenceKind = "plain" | "default" | "required" | "alternate";

export interface VariableReference {
  readonly name: string;
  /** Offset of the `$` in the scanned text. */
  readonly offset: number;
  readonly kind: ReferenceKind;
  /** The `:` forms also treat an empty value as unset. */
  readonly emptyIsUnset: boolean;
  /** The text after the operator: the default, the alternate, or the error message. */
  readonly operand: string;
  /** References inside the operand (used only when the operand is used). */
  readonly nested: readonly VariableReference[];
}

export interface InterpolationSyntaxError {
  readonly offset: number;
  readonly message: string;
}

export interface ParsedText {
  readonly references: readonly VariableReference[];
  readonly errors: readonly InterpolationSyntaxError[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS: ReadonlyArray<[string, ReferenceKind, boolean]> = [
  [":-", "default", true],
  [":?", "required", true],
  [":+", "alternate", true],
  ["-", "default", false],
  ["?", "required", false],
  ["+", "alternate", false],
];

/** Index of the `}` closing a `${` whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "$" && text[i + 1] === "$") {
      i++;
    } else if (ch === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (ch === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function parseInterpolation(text: string, base = 0): ParsedText {
  const references: VariableReference[] = [];
  const errors: InterpolationSyntaxError[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "$") {
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      i += 2;
      continue;
    }
    if (next !== "{") {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) references.push({ name, offset: base + i, kind: "plain", emptyIsUnset: false, operand: "", nested: [] });
      i += 1 + (name?.length ?? 0);
      continue;
    }
    const end = closingBrace(text, i + 2);
    if (end < 0) {
      errors.push({ offset: base + i, message: "unterminated ${ (missing })" });
      break;
    }
    const body = text.slice(i + 2, end);
    const name = NAME.exec(body)?.[0];
    if (!name) {
      errors.push({ offset: base + i, message: `invalid interpolation "\${${body}}": a variable name is letters, digits and _` });
      i = end + 1;
      continue;
    }
    const rest = body.slice(name.length);
    if (rest === "") {
      references.push({ name, offset: base + i, kind: "plain", emptyIsUnset: false, operand: "", nested: [] });
    } else {
      const op = OPERATORS.find(([symbol]) => rest.startsWith(symbol));
      if (!op) {
        errors.push({ offset: base + i, message: `invalid interpolation "\${${body}}": unknown operator after ${name}` });
      } else {
        const [symbol, kind, emptyIsUnset] = op;
        const operandStart = i + 2 + name.length + symbol.length;
        const operand = rest.slice(symbol.length);
        const inner = parseInterpolation(operand, base + operandStart);
        errors.push(...inner.errors);
        references.push({ name, offset: base + i, kind, emptyIsUnset, operand, nested: inner.references });
      }
    }
    i = end + 1;
  }
  return { references, errors };
}

export interface MissingReference {
  readonly name: string;
  readonly offset: number;
  /** The `${VAR:?message}` message, when the reference carries one. */
  readonly message?: string;
}

export type Lookup = (name: string) => string | undefined;

/**
 * The references that would be unset under `lookup`, following compose's rules: a plain
 * reference to an unset variable is missing (compose would silently use ""), a `?` form fails,
 * a default or alternate only matters when it is the branch taken.
 */
export function missingReferences(references: readonly VariableReference[], lookup: Lookup): MissingReference[] {
  const missing: MissingReference[] = [];
  for (const ref of references) {
    const value = lookup(ref.name);
    const unset = value === undefined || (ref.emptyIsUnset && value === "");
    switch (ref.kind) {
      case "plain":
        if (value === undefined) missing.push({ name: ref.name, offset: ref.offset });
        break;
      case "required":
        if (unset) missing.push({ name: ref.name, offset: ref.offset, ...(ref.operand ? { message: ref.operand } : {}) });
        break;
      case "default":
        if (unset) missing.push(...missingReferences(ref.nested, lookup));
        break;
      case "alternate":
        if (!unset) missing.push(...missingReferences(ref.nested, lookup));
        break;
    }
  }
  return missing;
}

/** Every variable name a text mentions, at any depth. */
export function referencedNames(references: readonly VariableReference[]): Set<string> {
  const names = new Set<string>();
  const walk = (refs: readonly VariableReference[]): void => {
    for (const ref of refs) {
      names.add(ref.name);
      walk(ref.nested);
    }
  };
  walk(references);
  return names;
}
