import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGit } from "../../adapters/git.js";
import { runCommand } from "../../adapters/run-command.js";
import { exportBuildTree } from "./source.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function repo(): Promise<{ dir: string; commit: string }> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-export-repo-"));
  made.push(dir);
  for (let i = 0; i < 2000; i++) writeFileSync(join(dir, `file-${i}.txt`), `file ${i}\n`);
  const git = (args: string[]) => runCommand("git", ["-C", dir, "-c", "user.email=t@t.invalid", "-c", "user.name=t", ...args]);
  await git(["init", "-q"]);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", "one"]);
  return { dir, commit: (await git(["rev-parse", "HEAD"])).stdout.trim() };
}

describe("exportBuildTree", () => {
  it("exports one whole tree when two deployments of the same commit export it at once", async () => {
    const { dir, commit } = await repo();
    const home = mkdtempSync(join(tmpdir(), "slipway-export-home-"));
    made.push(home);
    const tree = join(home, "builds", "shop", commit.slice(0, 12));
    const git = createGit();
    // Started a few milliseconds apart, so that one removes or unpacks while another unpacks.
    const fresh = await Promise.all(
      Array.from({ length: 8 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 4)).then(() => exportBuildTree(git, dir, commit, tree, home))),
    );
    expect(fresh.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(join(home, "builds", "shop"))).toEqual([commit.slice(0, 12)]);
    expect(readdirSync(tree).filter((name) => name.startsWith("file-")).length).toBe(2000);
    expect(readFileSync(join(tree, ".slipway-exported"), "utf8")).toBe(`${commit}\n`);
    expect(await exportBuildTree(git, dir, commit, tree, home)).toBe(false);
  });

  it("replaces a tree an interrupted export left without its marker", async () => {
    const { dir, commit } = await repo();
    const home = mkdtempSync(join(tmpdir(), "slipway-export-home-"));
    made.push(home);
    const tree = join(home, "builds", "shop", "partial");
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, "left-over.txt"), "x\n");
    expect(await exportBuildTree(createGit(), dir, commit, tree, home)).toBe(true);
    expect(existsSync(join(tree, "left-over.txt"))).toBe(false);
    expect(existsSync(join(tree, "file-0.txt"))).toBe(true);
  });
});
