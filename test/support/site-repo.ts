/**
 * A throwaway git repository holding the smallest site (busybox httpd answering "<project>
 * <version>"), deployed with host names through a router that several such sites share: the
 * same SLIPWAY_HOME, router container and web ports, given by the test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway, type CliResult } from "./cli.js";

export interface SiteRepo extends AsyncDisposable {
  readonly dir: string;
  readonly project: string;
  /** Writes slipway.yml again with these lines after the route, commits. Without hosts, the route listens on `listen`. */
  configure(extra: string, hosts: readonly string[], listen?: number): Promise<void>;
  /** An empty commit: a new version to deploy. */
  bump(message: string): Promise<string>;
  slipway(args: string[]): Promise<CliResult>;
}

// No RUN step: the build needs no container, nor so any network of the engine's.
const DOCKERFILE = `FROM busybox
ARG VERSION=dev
ENV SITE="$PROJECT \${VERSION}"
CMD ["sh", "-c", "trap 'exit 0' TERM INT; mkdir -p /www && echo \\"$SITE\\" > /www/index.html && httpd -f -p 8000 -h /www & wait"]
`;

const git = async (dir: string, args: string[]): Promise<string> => {
  const result = await runCommand("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", ...args]);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

export async function siteRepo(name: string, options: { readonly env: Record<string, string>; readonly hosts: readonly string[]; readonly extra: string; readonly listen?: number }): Promise<SiteRepo> {
  const root = mkdtempSync(join(tmpdir(), "slipway-site-"));
  const dir = join(root, "repo");
  mkdirSync(dir);
  const project = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(join(dir, "Dockerfile"), DOCKERFILE.replace("$PROJECT", project));
  writeFileSync(join(dir, "compose.yaml"), ["services:", "  web:", "    build:", "      context: .", "      args:", "        VERSION: ${TAG:-dev}", '    ports: ["8000:8000"]', ""].join("\n"));
  const yml = (extra: string, hosts: readonly string[], listen?: number): string =>
    [`project: ${project}`, "routes:", "  - service: web", "    port: 8000", hosts.length > 0 ? `    hosts: [${hosts.join(", ")}]` : `    listen: ${listen ?? 0}`, "    healthcheck: { path: /, interval: 300ms, timeout: 2s, passes: 2, deadline: 30s }", "drain: 1s", extra, ""].join("\n");
  writeFileSync(join(dir, "slipway.yml"), yml(options.extra, options.hosts, options.listen));
  await runCommand("git", ["init", "-q", "-b", "main", dir]);
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "v1"]);
  const run = (args: string[]): Promise<CliResult> => slipway(args, { cwd: dir, env: { ...options.env, SLIPWAY_ACTOR: "tester" }, timeoutMs: 300_000 });
  return {
    dir,
    project,
    async configure(extra, hosts, listen) {
      writeFileSync(join(dir, "slipway.yml"), yml(extra, hosts, listen));
      await git(dir, ["commit", "-q", "-am", "configure"]);
    },
    async bump(message) {
      await git(dir, ["commit", "-q", "--allow-empty", "-m", message]);
      return (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    },
    slipway: run,
    async [Symbol.asyncDispose]() {
      await run(["down", "--volumes"]);
      const named = await runCommand("docker", ["images", "-q", "--filter", `reference=${project}/*`]);
      const labelled = await runCommand("docker", ["images", "-q", "--filter", `label=slipway.project=${project}`]);
      const ids = [...new Set(`${named.stdout}\n${labelled.stdout}`.split("\n").filter(Boolean))];
      if (ids.length > 0) await runCommand("docker", ["rmi", "-f", ...ids]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
