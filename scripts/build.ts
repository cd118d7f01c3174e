// Bundles the CLI into dist/bundle (npm run build).
//
// Dockerode is bundled too, for one reason: as it loads, it requires BuildKit's gRPC session
// support (@grpc/grpc-js, protobufjs), and docker-modem requires ssh2, together about 150 ms of
// every command's start-up (twice that on a busy host), though Slipway builds through compose
// and mostly talks to a local socket. In the bundle those two requires wait until first used,
// and the files they name (with their .proto files and ssh2's optional native code) stay in
// node_modules, loaded from there as before: a DOCKER_HOST=ssh://… still works.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import { buildWeb } from "./build-web.ts";

const DEFERRED = [
  { file: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, from: "withSession = require('./session'),", to: "withSession = function () { return require('./session').apply(this, arguments); }," },
  { file: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, from: "ssh = require('./ssh'),", to: "ssh = function () { return require('./ssh').apply(this, arguments); }," },
];
/** Relative requires inside dockerode and docker-modem that stay files of node_modules. */
const LEFT_IN_NODE_MODULES: Record<string, readonly string[]> = { dockerode: ["./session", "./buildkit"], "docker-modem": ["./ssh"] };

const deferLoading: Plugin = {
  name: "defer-dockerode-extras",
  setup(b) {
    b.onLoad({ filter: /[\\/](dockerode|docker-modem)[\\/]lib[\\/](docker|modem)\.js$/ }, ({ path }) => {
      const rule = DEFERRED.find((r) => r.file.test(path));
      const text = readFileSync(path, "utf8");
      if (!rule || !text.includes(rule.from)) {
        throw new Error(`${path} no longer contains "${rule?.from ?? ""}": update scripts/build.ts for this version`);
      }
      return { contents: text.replace(rule.from, rule.to), loader: "js" };
    });
    b.onResolve({ filter: /^\.\/(session|buildkit|ssh)$/ }, ({ path, importer }) => {
      const pkg = Object.keys(LEFT_IN_NODE_MODULES).find((name) => importer.includes(`/node_modules/${name}/lib/`));
      if (!pkg || !LEFT_IN_NODE_MODULES[pkg]?.includes(path)) return undefined;
      return { path: `${pkg}/lib/${path.slice(2)}.js`, external: true };
    });
  },
};

/**
 * A digest of everything the bundle's behaviour follows from: the sources, the locked
 * dependencies, and the installed versions of the two libraries slipway.yml is validated with.
 * Caches of the bundle's results (the validated slipway.yml under the home) are keyed by it.
 */
function buildId(): string {
  const sources = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => join("src", file)).sort();
  const hash = createHash("sha256");
  for (const file of ["package.json", "package-lock.json", "node_modules/zod/package.json", "node_modules/yaml/package.json", ...sources]) {
    hash.update(`${file}\0`).update(existsSync(file) ? readFileSync(file) : "").update("\0");
  }
  return hash.digest("hex").slice(0, 32);
}

rmSync("dist", { recursive: true, force: true });
await build({
  // The CLI, and the server (`slipway serve`, sent there by bin/slipway.js), sharing chunks.
  entryPoints: { main: "src/cli/main.ts", serve: "src/server/main.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  mainFields: ["module", "main"],
  splitting: true,
  outdir: "dist/bundle",
  chunkNames: "chunks/[name]-[hash]",
  // Native code, and pg (loaded only for a Postgres store).
  external: ["better-sqlite3", "pg"],
  logLevel: "warning",
  banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
  define: { __SLIPWAY_BUILD_ID__: JSON.stringify(buildId()) },
  plugins: [deferLoading],
});
// The web UI that `slipway serve` serves at /.
await buildWeb();
