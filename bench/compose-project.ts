/**
 * The project bench/plan and bench/scale plan: `services` services over 4 compose files (a base
 * with an anchor and merge keys, a prod override with image tags, ports, extra labels), env
 * files, a .env, and a slipway.yml naming the files. Returns the compose files, in order.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeComposeProject(dir: string, services: number): string[] {
  const base = ["x-app: &app", "  build:", "    context: .", "    args:", "      PYTHON: ${PYTHON_VERSION:-3.12}", "  env_file: [./envs/common.env]", "  environment:", "    DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app", "  depends_on: [db, redis]", "", "services:"];
  for (let i = 0; i < services - 2; i++) {
    base.push(`  svc${i}:`, "    <<: *app", `    command: ["run", "worker-${i}"]`, `    env_file: [./envs/common.env, ./envs/group${i % 5}.env]`);
  }
  base.push("  db:", "    image: postgres:16", "    volumes: [pgdata:/var/lib/postgresql/data]", "  redis:", "    image: redis:7", "volumes:", "  pgdata:", "");
  const prod = ["services:"];
  for (let i = 0; i < services - 2; i++) prod.push(`  svc${i}:`, `    image: bench/svc${i}:\${TAG}`, "    restart: unless-stopped");
  const ports = ["services:", "  svc0:", '    ports: ["8080:8000"]', "  svc1:", '    ports: ["8081:8000"]', "    healthcheck:", '      test: ["CMD", "true"]', ""];
  const extra = ["services:"];
  for (let i = 0; i < services - 2; i += 3) extra.push(`  svc${i}:`, "    labels:", `      team: t${i % 4}`, "    environment:", `      SHARD: "${i}"`);
  mkdirSync(join(dir, "envs"), { recursive: true });
  writeFileSync(join(dir, "docker-compose.yml"), base.join("\n"));
  writeFileSync(join(dir, "docker-compose.prod.yml"), prod.join("\n") + "\n");
  writeFileSync(join(dir, "docker-compose.ports.yml"), ports.join("\n"));
  writeFileSync(join(dir, "docker-compose.extra.yml"), extra.join("\n") + "\n");
  writeFileSync(join(dir, "envs/common.env"), "LOG_LEVEL=info\nTZ=UTC\n");
  for (let g = 0; g < 5; g++) writeFileSync(join(dir, `envs/group${g}.env`), `GROUP=${g}\nQUEUE=q${g}\n`);
  writeFileSync(join(dir, ".env"), "DB_PASSWORD=not-the-project-name\n");
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\n");
  const files = ["docker-compose.yml", "docker-compose.prod.yml", "docker-compose.ports.yml", "docker-compose.extra.yml"];
  writeFileSync(join(dir, "slipway.yml"), `project: bench\ncompose: [${files.join(", ")}]\n`);
  return files;
}
