/** Where the store lives; importing this loads no database driver. */
import { homedir } from "node:os";
import { join } from "node:path";

export const DATABASE_FILE = "slipway.db";

/** `$SLIPWAY_HOME`, else `~/.slipway`. */
export function slipwayHome(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.SLIPWAY_HOME;
  if (home !== undefined && home !== "") return home;
  return join(env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir(), ".slipway");
}
