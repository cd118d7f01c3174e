/**
 * Where a compose file names files on the host that a service is built from or reads: each
 * service's `build` (its context, dockerfile and additional contexts) and `env_file`, as written
 * (before interpolation), with line and column. Aliases are followed to what they name; merge
 * keys (`<<`) are not, since compose's own model says what they resolve to.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";
import type { SourcePosition } from "./source-position.js";

export type PathKey = "build.context" | "build.dockerfile" | "build.additional_contexts" | "env_file";

export interface LocatedPath {
  readonly service: string;
  readonly key: PathKey;
  /** The additional context's name. */
  readonly name?: string;
  /** As written in the file. */
  readonly value: string;
  readonly position: SourcePosition;
}

type Found = Omit<LocatedPath, "service">;

class Reader {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** A string scalar's text and where it starts. */
  text(node: unknown): { value: string; position: SourcePosition } | undefined {
    const resolved = this.resolve(node);
    if (!isScalar(resolved) || typeof resolved.value !== "string") return undefined;
    const { line, col } = this.lines.linePos(resolved.range?.[0] ?? 0);
    return { value: resolved.value, position: { file: this.file, line, column: col } };
  }

  entries(node: unknown): Array<[string, unknown]> {
    const map = this.resolve(node);
    if (!isMap(map)) return [];
    return map.items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : pair.key), pair.value]);
  }

  items(node: unknown): unknown[] {
    const list = this.resolve(node);
    return isSeq(list) ? list.items : [list];
  }
}

function buildPaths(read: Reader, node: unknown): Found[] {
  const one = (key: Found["key"], value: unknown, name?: string): Found[] => {
    const text = read.text(value);
    return text ? [{ key, ...(name !== undefined ? { name } : {}), ...text }] : [];
  };
  if (read.text(node)) return one("build.context", node);
  return read.entries(node).flatMap(([key, value]): Found[] => {
    if (key === "context") return one("build.context", value);
    if (key === "dockerfile") return one("build.dockerfile", value);
    if (key !== "additional_contexts") return [];
    if (!isSeq(read.resolve(value))) return read.entries(value).flatMap(([name, path]) => one("build.additional_contexts", path, name));
    // The list form: "name=path".
    return read.items(value).flatMap((item): Found[] => {
      const text = read.text(item);
      const eq = text?.value.indexOf("=") ?? -1;
      return text && eq > 0 ? [{ key: "build.additional_contexts", name: text.value.slice(0, eq), value: text.value.slice(eq + 1), position: text.position }] : [];
    });
  });
}

function envFilePaths(read: Reader, node: unknown): Found[] {
  return read.items(node).flatMap((item): Found[] => {
    const path = read.entries(item).find(([key]) => key === "path")?.[1] ?? item;
    const text = read.text(path);
    return text ? [{ key: "env_file", ...text }] : [];
  });
}

export function locatePaths(file: string, doc: Document, lines: LineCounter): LocatedPath[] {
  const read = new Reader(file, doc, lines);
  return read.entries(doc.get("services", true)).flatMap(([service, body]) =>
    read.entries(body).flatMap(([key, value]) => {
      const found = key === "build" ? buildPaths(read, value) : key === "env_file" ? envFilePaths(read, value) : [];
      return found.map((path) => ({ service, ...path }));
    }),
  );
}
