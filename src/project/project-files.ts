/** The project directory's files as the compose file choice sees them, and compose's own settings. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ComposeEnvironment } from "../config/compose-files.js";
import type { ProjectFiles } from "../config/compose-layout.js";

export function projectFiles(dir: string): ProjectFiles {
  return {
    exists: (file) => existsSync(join(dir, file)),
    read: (file) => {
      try {
        return readFileSync(join(dir, file), "utf8");
      } catch {
        return undefined;
      }
    },
    isDirectory: (path) => statSync(join(dir, path), { throwIfNoEntry: false })?.isDirectory() === true,
  };
}

/** What compose itself would read of its own settings: the process environment over `.env`. */
export function composeEnvironment(dotenv: Readonly<Record<string, string>>, processEnv: Readonly<Record<string, string | undefined>>): ComposeEnvironment {
  const keys = ["COMPOSE_FILE", "COMPOSE_PATH_SEPARATOR", "COMPOSE_PROFILES"];
  return Object.fromEntries(keys.map((key) => [key, processEnv[key] ?? dotenv[key]]));
}
