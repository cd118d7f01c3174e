/** A throwaway project directory with the given files, removed when disposed. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempProject extends Disposable {
  readonly dir: string;
}

export function tempProject(files: Record<string, string>, name = "app"): TempProject {
  const root = mkdtempSync(join(tmpdir(), "slipway-test-"));
  const dir = join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  return { dir, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}
