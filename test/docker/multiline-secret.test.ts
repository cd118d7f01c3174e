/**
 * A multi-line secret (a key with `$`, a tab, quotes and indented lines), from the store and from
 * a provider: not one of its lines, in any form it may be printed in (as is, with `$` doubled as
 * compose prints it, JSON-escaped), appears in `config`, `plan`, a deploy's `--json` events,
 * the stored deployment log or `slipway logs`, though the release task and the app print it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

const KEY = [
  "-----BEGIN SLIPWAY TEST KEY-----",
  "MIIEowIBAAKCAQEAx7q9Q2bqLeakCheck",
  "second-line-with-$dollar-and-$$two",
  '\ttab-indented "quoted" and \'single\' line',
  "  two-space-indented-line-of-key",
  "-----END SLIPWAY TEST KEY-----",
  "",
].join("\n");

/** Every form a line of it could be printed in. */
const FORMS = KEY.split("\n")
  .map((line) => line.trim())
  .filter((line) => line.length >= 4)
  .flatMap((line) => [line, line.replaceAll("$", "$$$$"), JSON.stringify(line).slice(1, -1)]);

let repo: HelloRepo;

function expectNoLine(where: string, text: string): void {
  const found = FORMS.filter((form) => text.includes(form));
  expect(found, `lines of the secret in ${where}`).toEqual([]);
}

beforeAll(async () => {
  repo = await helloRepo("multiline");
  // The release task and the backend print the secret, line by line.
  const release = readFileSync(join(repo.dir, "backend/release.sh"), "utf8").replace('echo "release: migrated ($version)"', 'echo "release: migrated ($version)"\nprintf "release key: %s\\n" "$SECRET_KEY"');
  const start = readFileSync(join(repo.dir, "backend/start.sh"), "utf8").replace("nc=$!", 'nc=$!\nprintf "start key: %s\\n" "$SECRET_KEY"');
  await repo.commit({ "backend/release.sh": release, "backend/start.sh": start }, "print the key");
  writeFileSync(join(repo.dir, "..", "..", "..", "key.pem"), KEY);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("a multi-line secret from the store", () => {
  it("shows in no line of config, plan, deploy --json, the stored log or slipway logs", async () => {
    const set = await repo.slipway(["env", "set", `SECRET_KEY=@${join(repo.dir, "..", "..", "..", "key.pem")}`]);
    expect(set.exitCode, set.stderr).toBe(0);
    const outputs: Record<string, string> = {};
    for (const args of [["config"], ["config", "--format", "json"], ["plan"], ["plan", "--format", "json"]]) {
      const result = await repo.slipway(args);
      expect(result.exitCode, result.stderr).toBe(0);
      outputs[args.join(" ")] = result.stdout + result.stderr;
    }
    expect(outputs.config).toMatch(/SECRET_KEY: "\*\*\*"/);

    const deployed = await repo.slipway(["deploy", "--json"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    outputs["deploy --json"] = deployed.stdout + deployed.stderr;
    // It was printed (masked), so the task had it.
    expect(deployed.stdout).toContain("release key: ***");
    const stored = await repo.slipway(["logs", "--deployment", "1"]);
    outputs["logs --deployment 1"] = stored.stdout + stored.stderr;
    expect(stored.stdout).toContain("release key: ***");
    const logs = await repo.slipway(["logs", "backend"]);
    outputs["logs backend"] = logs.stdout + logs.stderr;
    expect(logs.stdout).toContain("start key: ***");
    for (const [where, text] of Object.entries(outputs)) expectNoLine(where, text);
  });
});

describe("a multi-line secret from a provider", () => {
  it("shows in no line of config or plan", async () => {
    const bin = join(repo.env.SLIPWAY_HOME ?? "", "..", "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "doppler"), `#!/bin/sh\ncat "${join(bin, "secrets.json")}"\n`);
    chmodSync(join(bin, "doppler"), 0o755);
    writeFileSync(join(bin, "secrets.json"), JSON.stringify({ SECRET_KEY: KEY }));
    const committed = readFileSync(join(repo.dir, "slipway.yml"), "utf8");
    writeFileSync(join(repo.dir, "slipway.yml"), slipwayYml(repo.project, repo.port, "secrets: { provider: doppler }"));
    try {
      const env = { PATH: `${bin}:${process.env.PATH ?? ""}` };
      for (const args of [["config"], ["config", "--format", "json"], ["plan"], ["plan", "--format", "json"], ["check"]]) {
        const result = await repo.slipway(args, env);
        expect(result.exitCode, result.stderr).toBe(0);
        expectNoLine(args.join(" "), result.stdout + result.stderr);
      }
    } finally {
      writeFileSync(join(repo.dir, "slipway.yml"), committed); // so that the clean-up needs no provider
    }
  });
});
