/**
 * A release's variables travel from the model to compose through a 0600 env file, never through
 * the planned files: these read the file back with the real compose CLI, and look for values in
 * the planned files of every fixture.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { applyRuntimeVariables } from "../../src/plan/runtime-variables.js";
import { composeEnvFile } from "../../src/secrets/env-file.js";
import { planFor, resolveFixture } from "../support/fixtures.js";

const NASTY: Record<string, string> = {
  PLAIN: "value",
  SPACES: "a b  c",
  DOLLARS: "pa$$word ${HOME} $HOME $",
  QUOTES: `it's "quoted"`,
  BACKSLASHES: "C:\\path\\n and \\\\ two",
  NEWLINES: "line1\nline2\n",
  BOTH: `'\n"\\$x`,
  EMPTY: "",
  HASH: "a #not a comment",
  UNICODE: "ünïcødé ✓",
  EQUALS: "a=b==c",
};

async function composeReads(files: Record<string, string>): Promise<Record<string, string | null>> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-envfile-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const result = await runCommand("docker", ["compose", "-p", "envfile", "-f", join(dir, "compose.yml"), "config", "--format", "json"], {
      cwd: dir,
      env: { ...process.env, DOCKER_HOST: "unix:///dev/null" },
    });
    expect(result.stderr).toBe("");
    const model = JSON.parse(result.stdout) as { services: { s: { environment: Record<string, string | null> } } };
    // `config` prints `$` as `$$`.
    return Object.fromEntries(Object.entries(model.services.s.environment).map(([k, v]) => [k, v === null ? null : v.replaceAll("$$", "$")]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("env files as compose reads them", () => {
  it("every value comes back exactly, whatever its quotes, dollars, backslashes and newlines", async () => {
    const compose = stringify({ services: { s: { image: "busybox", env_file: [{ path: "./s.env", required: false }] } } });
    expect(await composeReads({ "compose.yml": compose, "s.env": composeEnvFile(NASTY) })).toEqual(NASTY);
  });

  it("a removed env file leaves the planned file readable (required: false)", async () => {
    const compose = stringify({ services: { s: { image: "busybox", environment: { KEPT: "1" }, env_file: [{ path: "./gone.env", required: false }] } } });
    expect(await composeReads({ "compose.yml": compose })).toEqual({ KEPT: "1" });
  });
});

describe("planned files hold no variable value", () => {
  it.each([
    { fixture: "seed-classic", processEnv: { POSTGRES_PASSWORD: "pg-password-value", SECRET_KEY: "django-secret-value" } },
    { fixture: "env-files", environment: "staging" },
    { fixture: "django-anchors" },
  ])("$fixture", async ({ fixture, processEnv, environment }) => {
    const resolved = await resolveFixture(fixture, { ...(processEnv ? { processEnv } : {}), ...(environment ? { environment } : {}) });
    const plan = planFor(resolved);
    expect(plan.envFiles.length).toBeGreaterThan(0);
    const text = JSON.stringify(plan.files);
    for (const kind of ["release", "accessories"] as const) {
      const services = plan.files[kind].content.services as Record<string, Record<string, unknown>>;
      for (const [name, service] of Object.entries(services)) {
        expect(service.environment, `${kind} ${name}`).toBeUndefined();
        const own = plan.envFiles.find((f) => f.service === name);
        expect(service.env_file, `${kind} ${name}`).toEqual(own ? [{ path: own.path, required: false }] : undefined);
      }
    }
    if (processEnv) {
      const values = Object.fromEntries(plan.envFiles.flatMap((f) => Object.entries(f.values)));
      expect(values.POSTGRES_PASSWORD).toBe("pg-password-value");
      expect(text).not.toContain("pg-password-value");
      expect(text).not.toContain("django-secret-value");
    }
  });
});

describe("store and provider values over a service's own", () => {
  const model = {
    services: {
      web: { image: "w", environment: { SECRET_KEY: "from-compose", DEBUG: "1", UNSET: null } },
      db: { image: "d", environment: { POSTGRES_PASSWORD: "pw" } },
      bare: { image: "b" },
    },
  };

  it("replace the values of names a service declares, and add none", () => {
    const applied = applyRuntimeVariables(model, { SECRET_KEY: "from-store", UNSET: "now-set", NOT_DECLARED: "x" });
    expect(applied.services.web?.environment).toEqual({ SECRET_KEY: "from-store", DEBUG: "1", UNSET: "now-set" });
    expect(applied.services.db?.environment).toEqual({ POSTGRES_PASSWORD: "pw" });
    expect(applied.services.bare?.environment).toBeUndefined();
  });

  it("keep a dollar a dollar (the model escapes it as compose prints it)", () => {
    expect(applyRuntimeVariables(model, { DEBUG: "a$b" }).services.web?.environment?.DEBUG).toBe("a$$b");
  });
});
