/**
 * `slipway users` and `slipway tokens` through the real CLI: a generated password or a token is
 * printed once and stored nowhere in clear; lists never show them; a revoked token is marked so;
 * bad input is exit 2.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { BIN, slipway } from "../support/cli.js";

let home: string;
const run = (args: string[]) => slipway(args, { cwd: home, env: { SLIPWAY_HOME: home } });
const storeText = (): string => readdirSync(home).filter((f) => f.startsWith("slipway.db")).map((f) => readFileSync(join(home, f)).toString("latin1")).join("");

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "slipway-accounts-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("slipway users", () => {
  it("adds a user with a generated password, printed once and stored as a hash", async () => {
    const added = await run(["users", "add", "ann", "--role", "admin"]);
    expect(added.exitCode, added.stderr).toBe(0);
    const password = added.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(added.stderr).toContain("added ann (admin)");
    expect(storeText()).not.toContain(password);
    const listed = await run(["users", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "ann", role: "admin" })]);
    expect(listed.stdout).not.toMatch(/hash|scrypt/);
  });

  it("reads a password from standard input, and refuses a short one, a taken name or a bad role", async () => {
    const withInput = (name: string, input: string) => runCommand(process.execPath, [BIN, "users", "add", name, "--role", "viewer", "--password-stdin"], { env: { ...process.env, SLIPWAY_HOME: home }, input });
    const given = await withInput("bob", "a long enough password\n");
    expect(given.exitCode, given.stderr).toBe(0);
    expect(given.stdout).toBe("");
    const short = await withInput("cy", "short");
    expect(short.exitCode).toBe(2);
    expect((await run(["users", "add", "bob", "--role", "admin"])).exitCode).toBe(2);
    expect((await run(["users", "add", "dee", "--role", "root"])).exitCode).toBe(2);
  });
});

describe("slipway tokens", () => {
  it("creates a token printed once, lists it without its text, and revokes it", async () => {
    const created = await run(["tokens", "create", "--role", "deployer", "--expires", "30d", "--description", "ci"]);
    expect(created.exitCode, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^slw_/);
    expect(storeText()).not.toContain(token);
    const listed = await run(["tokens", "list"]);
    expect(listed.stdout).toMatch(/1\s+deployer\s+\(all\)\s+ci\s+\S+ ago\s+until 20/);
    expect(listed.stdout).not.toContain(token);
    expect((await run(["tokens", "revoke", "1"])).stdout).toBe("token 1 revoked\n");
    expect((await run(["tokens", "list"])).stdout).toMatch(/revoked/);
    expect((await run(["tokens", "revoke", "1"])).exitCode).toBe(2);
  });

  it.each([
    { name: "an unknown project", args: ["tokens", "create", "--role", "viewer", "--project", "nope"] },
    { name: "a lifetime it cannot read", args: ["tokens", "create", "--role", "viewer", "--expires", "soon"] },
    { name: "no role", args: ["tokens", "create"] },
  ])("refuses $name with exit 2", async ({ args }) => {
    expect((await run(args)).exitCode).toBe(2);
  });
});
