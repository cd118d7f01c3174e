/**
 * `slipway env` through the real CLI: the master key (wrong key, rotation), import and export,
 * standard input, and the store's variables in `slipway check` and `slipway config` (redacted).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { BIN, slipway } from "../support/cli.js";
import { tempProject } from "../support/temp-project.js";

const COMPOSE = `services:
  web:
    image: busybox
    command: ["sleep", "1"]
    environment:
      API_TOKEN: \${API_TOKEN}
      GREETING: \${GREETING:-hi}
`;

function project() {
  const temp = tempProject({ "docker-compose.yml": COMPOSE });
  const env = { SLIPWAY_HOME: join(temp.dir, "..", "home") };
  const run = (args: string[], extra: Record<string, string | undefined> = {}) => slipway(args, { cwd: temp.dir, env: { ...env, ...extra } });
  return { temp, env, run };
}

describe("slipway env", () => {
  it("a wrong master key is exit 2 with what to do; the right one reads the values", async () => {
    const { temp, run } = project();
    using _ = temp;
    const key = { SLIPWAY_MASTER_KEY: "a".repeat(40) };
    expect((await run(["env", "set", "API_TOKEN=tok-123456"], key)).exitCode).toBe(0);
    const wrong = await run(["env", "list", "--reveal"], { SLIPWAY_MASTER_KEY: "b".repeat(40) });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/cannot be decrypted with the master key from SLIPWAY_MASTER_KEY: it is not the key they were encrypted with/);
    expect(wrong.stdout).toBe("");
    const none = await run(["env", "list", "--reveal"]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/there is no master key here: set SLIPWAY_MASTER_KEY, or restore the key file/);
    expect((await run(["env", "list", "--reveal"], key)).stdout).toMatch(/^API_TOKEN\s+tok-123456$/m);
    const short = await run(["env", "list"], { SLIPWAY_MASTER_KEY: "short" });
    expect(short.exitCode).toBe(2);
    expect(short.stderr).toMatch(/at least 32/);
  });

  it("rotate-key re-encrypts every version; every value stays readable, under the new key only", async () => {
    const { temp, env, run } = project();
    using _ = temp;
    expect((await run(["env", "set", "API_TOKEN=first-token"])).exitCode).toBe(0);
    expect((await run(["env", "set", "GREETING=hello there", "API_TOKEN=second-token"])).exitCode).toBe(0);
    const keyFile = join(env.SLIPWAY_HOME, "master.key");
    const oldKey = readFileSync(keyFile, "utf8");
    const rotated = await run(["env", "rotate-key"]);
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/re-encrypted 2 sealed values under the new key/);
    expect(readFileSync(keyFile, "utf8")).not.toBe(oldKey);
    expect((await run(["env", "export", "--reveal"])).stdout).toBe("API_TOKEN=second-token\nGREETING='hello there'\n");
    writeFileSync(keyFile, oldKey);
    expect((await run(["env", "list", "--reveal"])).exitCode).toBe(2);
  });

  it("rotating a key given in SLIPWAY_MASTER_KEY takes the new one from SLIPWAY_NEW_MASTER_KEY", async () => {
    const { temp, run } = project();
    using _ = temp;
    const old = { SLIPWAY_MASTER_KEY: "o".repeat(40) };
    expect((await run(["env", "set", "API_TOKEN=tok-abcdef"], old)).exitCode).toBe(0);
    expect((await run(["env", "rotate-key"], old)).stderr).toMatch(/give the new one in SLIPWAY_NEW_MASTER_KEY/);
    const rotated = await run(["env", "rotate-key"], { ...old, SLIPWAY_NEW_MASTER_KEY: "n".repeat(40) });
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    expect((await run(["env", "list", "--reveal"], { SLIPWAY_MASTER_KEY: "n".repeat(40) })).stdout).toMatch(/^API_TOKEN\s+tok-abcdef$/m);
  });

  it("import, export --reveal, unset, and a value from standard input", async () => {
    const { temp, env, run } = project();
    using _ = temp;
    writeFileSync(join(temp.dir, "prod.env"), "API_TOKEN='tok with spaces'\nGREETING=hi there\n# a comment\n");
    expect((await run(["env", "import", "prod.env"])).stdout).toMatch(/set API_TOKEN, GREETING in production: version 1/);
    const piped = await runCommand("sh", ["-c", `printf 'from-stdin-value\\n' | "${process.execPath}" "${BIN}" env set STDIN_VALUE=-`], { cwd: temp.dir, env: { ...process.env, ...env } });
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect((await run(["env", "unset", "GREETING"])).stdout).toMatch(/unset GREETING in production: version 3/);
    expect((await run(["env", "export"])).exitCode).toBe(2);
    expect((await run(["env", "export", "--reveal"])).stdout).toBe("API_TOKEN='tok with spaces'\nSTDIN_VALUE=from-stdin-value\n");
    const listed = await run(["env", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual({ environment: "production", version: 3, variables: { API_TOKEN: "*****", STDIN_VALUE: "*****" } });
  });

  it("changes made at once by several processes are all kept, each its own version", async () => {
    const { temp, run } = project();
    using _ = temp;
    expect((await run(["env", "set", "FIRST=1"])).exitCode).toBe(0);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => run(["env", "set", `K${i}=v${i}`])));
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const versions = results.map((r) => Number(/version (\d+)/.exec(r.stdout)?.[1])).sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7]);
    const listed = JSON.parse((await run(["env", "list", "--json", "--reveal"])).stdout) as { version: number; variables: Record<string, string> };
    expect(listed).toEqual({ environment: "production", version: 7, variables: { FIRST: "1", K0: "v0", K1: "v1", K2: "v2", K3: "v3", K4: "v4", K5: "v5" } });
  });

  it("check names the store as the source; config prints the values redacted", async () => {
    const { temp, run } = project();
    using _ = temp;
    const missing = await run(["check"]);
    expect(missing.stderr).toMatch(/variable API_TOKEN is not set \(set it with slipway env set API_TOKEN=… --env production/);
    expect((await run(["env", "set", "API_TOKEN=tok-987654"])).exitCode).toBe(0);
    const checked = await run(["check"]);
    expect(checked.stdout + checked.stderr).toMatch(/API_TOKEN \(from slipway env \(version 1\)\)/);
    const config = await run(["config", "--format", "json"]);
    expect(config.exitCode, config.stderr).toBe(0);
    expect(config.stdout).toContain('"API_TOKEN": "***"');
    expect(config.stdout).not.toContain("tok-987654");
  });
});
