import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGit } from "./git.js";
import { runCommand } from "./run-command.js";

/** Every temporary directory a test made, removed after it. */
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

async function repo(): Promise<{ top: string; sub: string; commit: string }> {
  const top = temporary("slipway-git-");
  const sub = join(top, "apps", "web");
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(top, "root.txt"), "root\n");
  writeFileSync(join(sub, "app.txt"), "app\n");
  writeFileSync(join(top, ".gitignore"), "ignored.txt\n");
  const git = (args: string[]) => runCommand("git", ["-C", top, "-c", "user.email=t@t.invalid", "-c", "user.name=t", ...args]);
  await git(["init", "-q"]);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", "one"]);
  writeFileSync(join(sub, "untracked.txt"), "x\n");
  writeFileSync(join(top, "ignored.txt"), "x\n");
  const commit = (await git(["rev-parse", "HEAD"])).stdout.trim();
  return { top, sub, commit };
}

describe("git.exportTree", () => {
  it("exports the whole commit from a project in a subdirectory, and nothing untracked", async () => {
    const { sub, commit } = await repo();
    const git = createGit();
    const dest = temporary("slipway-export-");
    await git.exportTree(sub, commit, dest);
    expect(existsSync(join(dest, "root.txt"))).toBe(true);
    expect(existsSync(join(dest, "apps/web/app.txt"))).toBe(true);
    expect(existsSync(join(dest, "apps/web/untracked.txt"))).toBe(false);
    expect(existsSync(join(dest, "ignored.txt"))).toBe(false);
    expect(await git.prefix(sub)).toBe("apps/web/");
  });

  it("sees uncommitted changes under the project only", async () => {
    const { top, sub } = await repo();
    const git = createGit();
    expect((await git.head(sub))?.dirty).toBe(false);
    writeFileSync(join(top, "root.txt"), "changed\n");
    expect((await git.head(sub))?.dirty).toBe(false);
    writeFileSync(join(sub, "app.txt"), "changed\n");
    expect((await git.head(sub))?.dirty).toBe(true);
  });
});
