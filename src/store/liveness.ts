/**
 * Whether the process that holds a lock or runs a deployment still exists: its pid alone is not
 * enough, since a pid is reused; the process's start time (Linux's /proc/<pid>/stat, in clock
 * ticks since boot) and the boot id tell the same process from a later one with its number.
 */
import { readFileSync } from "node:fs";

/** "<boot id>:<start ticks>" of a live process, or undefined where /proc cannot say (no such process, another OS). */
export function processStarted(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = fields[19];
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return ticks === undefined ? undefined : `${boot}:${ticks}`;
  } catch {
    return undefined;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export interface Holder {
  readonly pid: number | null;
  readonly hostname: string | null;
  /** processStarted() of the holder when it took the lock; null for rows written before it was kept. */
  readonly started: string | null;
}

/** A holder on this host that no longer runs. Another host's pids say nothing, so those count as alive. */
export function holderIsDead(holder: Holder, thisHost: string): boolean {
  if (holder.pid === null || holder.hostname !== thisHost) return false;
  if (!pidExists(holder.pid)) return true;
  if (holder.started === null) return false;
  const now = processStarted(holder.pid);
  return now !== undefined && now !== holder.started;
}
