/**
 * What the swarm tests deploy: a busybox httpd on port 8000 with a HEALTHCHECK (a task enters
 * Docker's DNS, and so the router, only once healthy), routed by port through the swarm router;
 * and the command runner they use for docker and git.
 */
import { runCommand } from "../../src/adapters/run-command.js";

/** Runs the command (in `dir`); its trimmed output, or an error with what it printed. */
export async function run(command: string, args: readonly string[], dir?: string): Promise<string> {
  const result = await runCommand(command, args, { ...(dir ? { cwd: dir } : {}), timeoutMs: 120_000 });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

export const HEALTHY = "wget -q -O /dev/null http://127.0.0.1:8000/ || exit 1";

/** The app's Dockerfile: its files from www/, healthy when `health` exits 0. */
export const httpdDockerfile = (health = HEALTHY): string =>
  ["FROM busybox", "COPY www /www", `HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD ${health}`, 'CMD ["httpd", "-f", "-p", "8000", "-h", "/www"]', ""].join("\n");

/** slipway.yml routing `web` (port 8000) on `listen`, with the live environment's own settings. */
export function routedSlipwayYml(options: { project: string; listen: number; registry: string; deadline: string; live: string }): string {
  return [
    `project: ${options.project}`,
    "routes:",
    "  - service: web",
    "    port: 8000",
    `    healthcheck: { path: /, interval: 500ms, passes: 1, deadline: ${options.deadline} }`,
    "environments:",
    `  live: { default: true, listen: ${options.listen}, driver: swarm, registry: ${options.registry}, ${options.live} }`,
    "",
  ].join("\n");
}
