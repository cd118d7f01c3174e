/** loadProject and git: HEAD is read for what builds, and left alone when asked to. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Git } from "../adapters/git.js";
import { loadProject } from "./load-project.js";

const dir = mkdtempSync(join(tmpdir(), "slipway-load-project-"));
writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    image: demo-web:${TAG}\n    ports: ['8000:8000']\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function countingGit(): { git: Git; heads: () => number } {
  let heads = 0;
  const unused = (): never => {
    throw new Error("not used by loadProject");
  };
  const git: Git = {
    head: () => (heads++, Promise.resolve({ commit: "0123456789abcdef0123456789abcdef01234567", dirty: false })),
    resolve: unused,
    prefix: unused,
    snapshot: unused,
    exportTree: unused,
    remoteUrl: unused,
  };
  return { git, heads: () => heads };
}

describe("loadProject", () => {
  it("tags the project with HEAD's commit", async () => {
    const { git, heads } = countingGit();
    const loaded = await loadProject({ dir, processEnv: {} }, { git });
    expect(heads()).toBe(1);
    expect(loaded.project?.tag).toBe("0123456789ab");
    expect(loaded.project?.head?.commit).toBe("0123456789abcdef0123456789abcdef01234567");
  });

  it("does not run git when told the commit is of no use (status, releases), and loads the same project", async () => {
    const { git, heads } = countingGit();
    const loaded = await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git });
    expect(heads()).toBe(0);
    expect(loaded.problems).toEqual([]);
    expect(loaded.project?.name).toBe((await loadProject({ dir, processEnv: {} }, countingGit())).project?.name);
    expect(loaded.project?.head).toBeUndefined();
  });
});
