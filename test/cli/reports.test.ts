/**
 * `slipway notifications` and `slipway statuses` through the real CLI: the secret is printed
 * once on standard output and stored encrypted; lists never show it; a provider's token is read
 * from standard input only, and shown nowhere; bad input is exit 2.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { openStore } from "../../src/store/store.js";
import { BIN, slipway } from "../support/cli.js";

let home: string;
const run = (args: string[]) => slipway(args, { cwd: home, env: { SLIPWAY_HOME: home } });
const withInput = (args: string[], input: string) => runCommand(process.execPath, [BIN, ...args], { env: { ...process.env, SLIPWAY_HOME: home }, input });
const storeText = (): string => readdirSync(home).filter((f) => f.startsWith("slipway.db")).map((f) => readFileSync(join(home, f)).toString("latin1")).join("");

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "slipway-reports-cli-"));
  // A project the store knows, as a first deploy or `slipway serve`'s registration leaves it.
  await using store = await openStore({ home });
  await store.ensureProject("shop", "/srv/shop");
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("slipway notifications", () => {
  it("adds a target and prints its secret once, lists it without the secret, and removes it", async () => {
    const added = await run(["notifications", "add", "shop", "https://chat.example.com/hooks/slipway"]);
    expect(added.exitCode, added.stderr).toBe(0);
    const secret = added.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toContain("notification target 1 added");
    expect(storeText()).not.toContain(secret);
    const listed = await run(["notifications", "list", "shop"]);
    expect(listed.stdout).toMatch(/^ID\s+URL\s+ADDED\s+BY\n1\s+https:\/\/chat\.example\.com\/hooks\/slipway\s+\S+ ago\s+cli /);
    const asJson = await run(["notifications", "list", "shop", "--json"]);
    expect(JSON.parse(asJson.stdout)).toEqual([expect.objectContaining({ id: 1, url: "https://chat.example.com/hooks/slipway" })]);
    for (const text of [listed.stdout, asJson.stdout]) expect(text).not.toContain(secret);
    expect((await run(["notifications", "attempts", "shop"])).stdout).toBe("no event of shop was delivered yet\n");
    expect(JSON.parse((await run(["notifications", "attempts", "shop", "--json"])).stdout)).toEqual([]);
    expect((await run(["notifications", "remove", "shop", "1"])).stdout).toBe("notification target 1 removed\n");
    expect((await run(["notifications", "list", "shop"])).stdout).toContain("shop notifies no URL");
  });

  it.each([
    { name: "an unknown project", args: ["notifications", "add", "nope", "https://example.com/"] },
    { name: "a URL that is not http", args: ["notifications", "add", "shop", "file:///etc/passwd"] },
    { name: "a target that is not there", args: ["notifications", "remove", "shop", "9"] },
    { name: "an id that is no number", args: ["notifications", "remove", "shop", "first"] },
  ])("refuses $name with exit 2", async ({ args }) => {
    expect((await run(args)).exitCode).toBe(2);
  });
});

describe("slipway statuses", () => {
  it("sets a target with a token from standard input, shows it without the token, and removes it", async () => {
    const token = "glpat-a-token-never-to-be-shown-123456";
    const set = await withInput(["statuses", "set", "shop", "--provider", "gitlab", "--repository", "acme/tools/shop", "--token-stdin"], `${token}\n`);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toBe("shop's deployments are reported as commit statuses to gitlab acme/tools/shop (https://gitlab.com/api/v4)\n");
    const shown = await run(["statuses", "show", "shop"]);
    expect(shown.stdout).toMatch(/^gitlab acme\/tools\/shop \(https:\/\/gitlab\.com\/api\/v4\), set \S+ ago by cli /);
    expect(JSON.parse((await run(["statuses", "show", "shop", "--json", "--reports", "5"])).stdout)).toMatchObject({ target: { provider: "gitlab" }, reports: [] });
    for (const text of [set.stdout, set.stderr, shown.stdout, storeText()]) expect(text).not.toContain(token);
    expect((await run(["statuses", "remove", "shop"])).stdout).toBe("shop no longer reports commit statuses; its token is deleted\n");
    expect((await run(["statuses", "show", "shop"])).stdout).toContain("shop reports no commit statuses");
    expect((await run(["statuses", "remove", "shop"])).exitCode).toBe(2);
  });

  it.each([
    { name: "a token not on standard input", args: ["statuses", "set", "shop", "--provider", "github", "--repository", "acme/shop"] },
    { name: "Gitea without --api", args: ["statuses", "set", "shop", "--provider", "gitea", "--repository", "acme/shop", "--token-stdin"] },
    { name: "an unknown provider", args: ["statuses", "set", "shop", "--provider", "svn", "--repository", "acme/shop", "--token-stdin"] },
    { name: "a repository that is not OWNER/NAME", args: ["statuses", "set", "shop", "--provider", "github", "--repository", "shop", "--token-stdin"] },
  ])("refuses $name with exit 2", async ({ args }) => {
    const result = await withInput(args, "tok\n");
    expect(result.exitCode, result.stderr).toBe(2);
  });
});
