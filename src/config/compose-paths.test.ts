import { describe, expect, it } from "vitest";
import { scanComposeSource } from "./compose-source.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";
const paths = (text: string) => scanComposeSource("compose.yaml", text).paths.map((p) => [p.service, p.key, p.name ?? "", p.value, p.position.line, p.position.column]);

describe("scanComposeSource paths", () => {
  it.each<{ name: string; text: string; found: Array<[string, string, string, string, number, number]> }>([
    { name: "build as a string", text: lines("services:", "  web:", "    build: ../app"), found: [["web", "build.context", "", "../app", 3, 12]] },
    {
      name: "build as a map, with additional contexts as a map",
      text: lines("services:", "  web:", "    build:", "      context: .", "      dockerfile: ../Dockerfile", "      additional_contexts:", "        assets: ../assets"),
      found: [
        ["web", "build.context", "", ".", 4, 16],
        ["web", "build.dockerfile", "", "../Dockerfile", 5, 19],
        ["web", "build.additional_contexts", "assets", "../assets", 7, 17],
      ],
    },
    {
      name: "additional contexts as a list",
      text: lines("services:", "  web:", "    build:", "      additional_contexts:", "        - assets=../assets", "        - base=docker-image://busybox"),
      found: [
        ["web", "build.additional_contexts", "assets", "../assets", 5, 11],
        ["web", "build.additional_contexts", "base", "docker-image://busybox", 6, 11],
      ],
    },
    {
      name: "env_file as a string, a list and a list of maps",
      text: lines("services:", "  a:", "    env_file: a.env", "  b:", "    env_file: [b.env, ../c.env]", "  c:", "    env_file:", "      - path: ../d.env", "        required: false"),
      found: [
        ["a", "env_file", "", "a.env", 3, 15],
        ["b", "env_file", "", "b.env", 5, 16],
        ["b", "env_file", "", "../c.env", 5, 23],
        ["c", "env_file", "", "../d.env", 8, 15],
      ],
    },
    { name: "through an alias, at the anchor", text: lines("x-ctx: &ctx ../shared", "services:", "  web:", "    build: *ctx"), found: [["web", "build.context", "", "../shared", 1, 13]] },
    { name: "no services", text: lines("name: x"), found: [] },
  ])("$name", ({ text, found }) => {
    expect(paths(text)).toEqual(found);
  });
});
