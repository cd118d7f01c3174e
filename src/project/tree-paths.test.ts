import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanComposeSource } from "../config/compose-source.js";
import type { ComposeModel } from "../plan/compose-model.js";
import { pathsOutsideTree, treeRoot } from "./tree-paths.js";

// A repository with the project at apps/shop, a folder beside the repository, and symlinks.
const base = mkdtempSync(join(tmpdir(), "slipway-tree-"));
const repo = join(base, "repo");
const dir = join(repo, "apps", "shop");
for (const d of [join(repo, ".git"), join(repo, "shared"), dir, join(base, "outside")]) mkdirSync(d, { recursive: true });
writeFileSync(join(base, "outside", "x.env"), "A=1\n");
symlinkSync(join(base, "outside"), join(dir, "out-link"));
symlinkSync(join(repo, "shared"), join(dir, "in-link"));

afterAll(() => rmSync(base, { recursive: true, force: true }));

const check = (build: Record<string, unknown> | undefined, file = "") => {
  const model: ComposeModel = { services: { web: build ? { build } : {} } };
  const sources = file ? [scanComposeSource("compose.yaml", file)] : [];
  return pathsOutsideTree({ model, sources, dir, root: treeRoot(dir) }).map((p) => `${p.position ? `${p.position.line}:${p.position.column} ` : ""}${p.message.split(" lies ")[0]}`);
};

describe("treeRoot", () => {
  it("is the repository holding the project, else the project itself", () => {
    expect(treeRoot(dir)).toBe(repo);
    expect(treeRoot(join(base, "outside"))).toBe(join(base, "outside"));
  });
});

describe("pathsOutsideTree", () => {
  it.each<{ name: string; build: Record<string, unknown>; file?: string; problems: string[] }>([
    { name: "a context in the project", build: { context: dir, dockerfile: "Dockerfile" }, problems: [] },
    { name: "a context above the project, in the repository (..)", build: { context: join(repo, "apps") }, problems: [] },
    { name: "a symlink to a folder of the repository", build: { context: join(dir, "in-link") }, problems: [] },
    { name: "a remote context", build: { context: "https://example.invalid/app.git", dockerfile: "Dockerfile" }, problems: [] },
    {
      name: "a context above the repository (..)",
      build: { context: base, dockerfile: "Dockerfile" },
      file: "services:\n  web:\n    build: ../../..\n",
      problems: ["3:12 services.web.build.context: ../../.."],
    },
    { name: "a folder beside the repository", build: { context: join(base, "outside") }, file: "services:\n  web:\n    build:\n      context: ../../../outside\n", problems: ["4:16 services.web.build.context: ../../../outside"] },
    { name: "a symlink out of the repository", build: { context: join(dir, "out-link") }, file: "services:\n  web:\n    build: ./out-link\n", problems: ["3:12 services.web.build.context: ./out-link"] },
    { name: "a Dockerfile outside", build: { context: dir, dockerfile: "../../../outside/Dockerfile" }, problems: [`services.web.build.dockerfile: ${join(base, "outside", "Dockerfile")}`] },
    { name: "a missing path, judged by its nearest existing folder", build: { context: join(base, "outside", "not", "yet") }, problems: [`services.web.build.context: ${join(base, "outside", "not", "yet")}`] },
    {
      name: "an additional context outside, an image one ignored",
      build: { context: dir, additional_contexts: { assets: join(base, "outside"), base: "docker-image://busybox" } },
      problems: [`services.web.build.additional_contexts.assets: ${join(base, "outside")}`],
    },
  ])("$name", ({ build, file, problems }) => {
    expect(check(build, file)).toEqual(problems);
  });

  it("checks env files as written, skipping those named with variables", () => {
    const file = "services:\n  web:\n    env_file: [web.env, ../../../outside/x.env, ./out-link/x.env, '${DIR}/x.env']\n";
    expect(check(undefined, file)).toEqual(["3:25 services.web.env_file: ../../../outside/x.env", "3:49 services.web.env_file: ./out-link/x.env"]);
  });

  it("says when a symlink is what leads out", () => {
    const [problem] = pathsOutsideTree({ model: { services: { web: { build: { context: join(dir, "out-link") } } } }, sources: [], dir, root: repo });
    expect(problem?.code).toBe("E_NOT_DEPLOYABLE");
    expect(problem?.message).toContain(`lies outside the repository ${repo} through a symlink, to ${join(base, "outside")}`);
  });
});
