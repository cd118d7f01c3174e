import { describe, expect, it } from "vitest";
import { closest } from "./suggest.js";

const TOP = ["project", "compose", "release", "routes", "services", "environments", "retain"];

describe("closest", () => {
  it.each<{ name: string; word: string; candidates: string[]; hint: string | undefined }>([
    { name: "transposed letters", word: "retian", candidates: TOP, hint: "retain" },
    { name: "one letter missing", word: "servces", candidates: TOP, hint: "services" },
    { name: "one letter extra", word: "routess", candidates: TOP, hint: "routes" },
    { name: "case is ignored", word: "PROJECT", candidates: TOP, hint: "project" },
    { name: "the exact word", word: "compose", candidates: TOP, hint: "compose" },
    { name: "the nearest of several", word: "relase", candidates: ["retain", "release"], hint: "release" },
    { name: "first candidate wins a tie", word: "ab", candidates: ["ax", "xb"], hint: "ax" },
    { name: "short words allow distance 2", word: "rol", candidates: ["xyz", "rxx"], hint: "rxx" },
    { name: "short words refuse distance 3", word: "foo", candidates: ["path"], hint: undefined },
    { name: "long words allow a third of their length", word: "environmints", candidates: TOP, hint: "environments" },
    { name: "nine letters allow 3 edits", word: "abcdefghi", candidates: ["abcxyzghi"], hint: "abcxyzghi" },
    { name: "nine letters refuse 4 edits", word: "abcdefghi", candidates: ["abcwxyzhi"], hint: undefined },
    { name: "nothing close", word: "zzzzqqq", candidates: TOP, hint: undefined },
    { name: "no candidates", word: "retain", candidates: [], hint: undefined },
  ])("$name", ({ word, candidates, hint }) => {
    expect(closest(word, candidates)).toBe(hint);
  });
});
