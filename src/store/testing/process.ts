/** Child processes for the store's tests: run a TypeScript file of ours, or learn a pid that is gone. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const resolveHook = new URL("./ts-resolve.ts", import.meta.url).href;

export interface Exited {
  code: number | null;
  stderr: string;
}

/** Runs `file` (relative to this directory) under this Node, with our `.js` → `.ts` resolution. */
export function runTs(file: string, args: readonly string[]): Promise<Exited> {
  const script = fileURLToPath(new URL(file, import.meta.url));
  return exited(spawn(process.execPath, ["--import", resolveHook, script, ...args], { stdio: ["ignore", "ignore", "pipe"] }));
}

/** The pid of a process that has started and exited: a holder that is certainly dead. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  await exited(child);
  if (pid === undefined) throw new Error("the child process did not start");
  return pid;
}

function exited(child: ReturnType<typeof spawn>): Promise<Exited> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
