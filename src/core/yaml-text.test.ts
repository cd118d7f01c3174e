/** toYaml's output, read back with the `yaml` package (1.2 and 1.1), is the data it was given. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toYaml, type YamlData } from "./yaml-text.js";

const readBack = (text: string): unknown => [parse(text), parse(text, { version: "1.1" })];

/** Strings a plain scalar would turn into something else, or end early. */
const TRICKY = [
  "", " ", "yes", "No", "ON", "off", "y", "~", "null", "Null", "true", "False", "0", "007", "0x1f", "1e3", "1_000", ".5", "-1", "+1", ".inf", ".NaN",
  "a: b", "a:b", "a:", ":a", "a #b", "#a", "a#b", "- a", "-a", "? a", "[a]", "{a}", "*a", "&a", "!a", "|", ">", "'a'", '"a"', "%a", "@a", "`a`",
  "line\nbreak", "tab\there", "trailing ", " leading", "\u0085next", "\u2028sep", "\u007fdel", "é", "日本", "emoji 🚀", "\\back", "<<", "=", "a,b", "/srv/static:ro",
  "postgres://app:${DB_PASSWORD}@db/app", "${TAG:?set TAG}", "8080:80", "127.0.0.1:20001:80", "CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/",
];

/** A small seeded generator: the same cases on every run, many shapes. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function generate(next: () => number, depth: number): YamlData {
  const pick = next();
  const word = (): string => TRICKY[Math.floor(next() * TRICKY.length)] ?? "";
  if (depth === 0 || pick < 0.35) {
    const kind = Math.floor(next() * 6);
    if (kind === 0) return null;
    if (kind === 1) return next() < 0.5;
    if (kind === 2) return Math.round((next() - 0.5) * 1e6) / (next() < 0.5 ? 1 : 1000) || 1;
    return word();
  }
  const size = Math.floor(next() * 4);
  if (pick < 0.65) return Array.from({ length: size }, () => generate(next, depth - 1));
  return Object.fromEntries(Array.from({ length: size }, () => [word(), generate(next, depth - 1)]));
}

describe("toYaml", () => {
  it.each(TRICKY.map((s) => ({ s })))("keeps the string $s a string", ({ s }) => {
    const data = { [s]: s, list: [s, { [s]: [s] }] };
    expect(readBack(toYaml(data))).toEqual([data, data]);
  });

  it("writes a compose file as people write them", () => {
    const file = { name: "shop-production-v3", services: { web: { image: "shop/web:0123456789ab", ports: [{ target: 8000, published: "20001", host_ip: "127.0.0.1" }], command: ["gunicorn", "-b", "0.0.0.0:8000"], depends_on: { db: { condition: "service_healthy" } }, labels: {}, healthcheck: { disable: true } } }, volumes: { data: { external: true, name: "shop-production_data" } } };
    expect(toYaml(file)).toBe(
      [
        "name: shop-production-v3",
        "services:",
        "  web:",
        "    image: shop/web:0123456789ab",
        "    ports:",
        "      - target: 8000",
        '        published: "20001"',
        '        host_ip: "127.0.0.1"',
        "    command:",
        "      - gunicorn",
        '      - "-b"',
        '      - "0.0.0.0:8000"',
        "    depends_on:",
        "      db:",
        "        condition: service_healthy",
        "    labels: {}",
        "    healthcheck:",
        "      disable: true",
        "volumes:",
        "  data:",
        "    external: true",
        "    name: shop-production_data",
        "",
      ].join("\n"),
    );
    expect(readBack(toYaml(file))).toEqual([file, file]);
  });

  it("reads back 500 generated documents as they were", () => {
    const next = random(42);
    for (let i = 0; i < 500; i++) {
      const data = generate(next, 4);
      expect(readBack(toYaml(data)), toYaml(data)).toEqual([data, data]);
    }
  });

  it("nests lists in lists, and leaves out undefined members as JSON does", () => {
    const data = { a: [[1, [2, []]], [{}], [{ b: [{ c: null }] }]], skipped: undefined };
    expect(readBack(toYaml(data))).toEqual([{ a: data.a }, { a: data.a }]);
    expect(toYaml(data)).not.toContain("skipped");
  });

  it("refuses what is not JSON data rather than write it wrong", () => {
    expect(() => toYaml({ a: Number.NaN })).toThrow(/only finite numbers/);
    expect(() => toYaml({ a: new Date(0) })).toThrow(/Date is not JSON data/);
    expect(() => toYaml({ a: () => 1 })).toThrow(/function is not JSON data/);
  });
});
