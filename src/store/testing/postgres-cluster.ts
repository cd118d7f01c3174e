/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's `postgresql` binaries,
 * `initdb` and `pg_ctl` as the `postgres` user (PostgreSQL refuses to run as root), on a free
 * loopback port, its socket and data in a temporary directory removed afterwards.
 */
import { spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export interface PostgresCluster extends AsyncDisposable {
  readonly port: number;
  /** The maintenance database's URL, from which others are made. */
  readonly adminUrl: string;
  /** A new, empty database's URL. */
  createDatabase(): Promise<string>;
}

/** The newest installed server's bin directory, or undefined when the package is not installed. */
export function postgresBinaries(root = "/usr/lib/postgresql"): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function run(command: string, args: readonly string[], asPostgres: boolean): Promise<void> {
  const [file, argv] = asPostgres ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.trim()}`))));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

let created = 0;

/** A new, empty database in the cluster of `adminUrl`; its URL. */
export async function createDatabaseAt(adminUrl: string): Promise<string> {
  const name = `slipway_${process.pid}_${++created}`;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

export async function startPostgresCluster(bin = postgresBinaries()): Promise<PostgresCluster> {
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql)");
  const asPostgres = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), "slipway-pg-"));
  const data = join(dir, "data");
  if (asPostgres) {
    const user = postgresUser();
    chownSync(dir, user.uid, user.gid);
  }
  const port = await freePort();
  try {
    await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await run(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"], asPostgres);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    throw error;
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    createDatabase: () => createDatabaseAt(adminUrl),
    async [Symbol.asyncDispose]() {
      try {
        await run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
      } finally {
        // Retried: the server's last files may still be going as pg_ctl returns.
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
    },
  };
}

/** The `postgres` user's uid and gid, from /etc/passwd (the package creates the user). */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  const fields = line?.split(":") ?? [];
  if (fields.length < 4) throw new Error("no postgres user: is the postgresql package installed?");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
