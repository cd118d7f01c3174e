import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAssignments } from "./env.js";

const read = { file: (path: string) => `content of ${path}\n`, stdin: () => Promise.resolve("from stdin\n") };

describe("slipway env set's assignments", () => {
  it("KEY=VALUE, KEY=@file, KEY=- and values holding = or starting with @ alone", async () => {
    expect(await parseAssignments(["A=1", "B=x=y", "C=", "D=@"], read)).toEqual({ A: "1", B: "x=y", C: "", D: "@" });
    expect(await parseAssignments(["E=-"], read)).toEqual({ E: "from stdin" });
    const dir = mkdtempSync(join(tmpdir(), "slipway-env-"));
    writeFileSync(join(dir, "key.pem"), "-----BEGIN-----\nabc\n");
    // A file's content is taken as it is, final newline included.
    expect(await parseAssignments([`F=@${join(dir, "key.pem")}`], { ...read, file: (path) => readFileSync(path, "utf8") })).toEqual({ F: "-----BEGIN-----\nabc\n" });
    rmSync(dir, { recursive: true });
  });

  it.each([
    { args: ["NOEQUALS"], message: /write KEY=VALUE/ },
    { args: ["1A=x"], message: /not starting with a digit/ },
    { args: ["A=-", "B=-"], message: /only one value can come from standard input/ },
    { args: ["A=@/no/such/file"], message: /no such file/ },
  ])("refuses $args", async ({ args, message }) => {
    await expect(parseAssignments(args, read)).rejects.toThrow(message);
  });
});
