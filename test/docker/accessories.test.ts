/**
 * Accessories a person changes: `slipway accessories` shows how the one that runs differs from
 * the compose files (a deploy never recreates it), `accessories up` recreates it to match with
 * its volume's data intact, `restart` and `logs` act on its container.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { helloRepo, type HelloRepo } from "../support/hello-repo.js";

let repo: HelloRepo;

interface Report {
  readonly accessories: ReadonlyArray<{ name: string; image: string; inFiles: boolean; drift: string[]; container?: { id: string; state: string; health?: string } }>;
}

async function report(): Promise<Report["accessories"][number] | undefined> {
  const result = await repo.slipway(["accessories", "--json"]);
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Report).accessories.find((a) => a.name === "db");
}

async function inspect(format: string): Promise<string> {
  const ps = await runCommand("docker", ["ps", "-q", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.service=db"]);
  const result = await runCommand("docker", ["inspect", "--format", format, ps.stdout.trim()]);
  return result.stdout.trim();
}

beforeAll(async () => {
  repo = await helloRepo("accessories");
  const deployed = await repo.slipway(["deploy"]);
  expect(deployed.exitCode, deployed.stderr).toBe(0);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("slipway accessories", () => {
  let firstId: string;

  it("lists each accessory with its image, state and health, and no drift when it matches", async () => {
    const db = await report();
    expect(db).toMatchObject({ name: "db", image: "busybox", inFiles: true, drift: [], container: { state: "running", health: "healthy" } });
    firstId = db?.container?.id ?? "";
    const text = await repo.slipway(["accessories"]);
    expect(text.stdout).toMatch(/^db\s+busybox\s+running \(healthy\)\s+none$/m);
  });

  it("shows a changed image as drift, which a deploy leaves as it is", async () => {
    const compose = readFileSync(join(repo.dir, "docker-compose.yml"), "utf8").replace("  db:\n    image: busybox\n", "  db:\n    image: busybox:stable\n");
    expect(compose).toContain("image: busybox:stable");
    await repo.commit({ "docker-compose.yml": compose }, "db on busybox:stable");
    const deployed = await repo.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    const db = await report();
    expect(db?.container?.id).toBe(firstId);
    expect(db?.drift).toEqual(["image: runs busybox, the compose files say busybox:stable"]);
    expect((await repo.slipway(["accessories"])).stdout).toMatch(/db: image: runs busybox, the compose files say busybox:stable/);
  });

  it("up refuses without --yes when there is no terminal to ask on, and changes nothing", async () => {
    const result = await repo.slipway(["accessories", "up", "db"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/recreating db needs a yes: run slipway accessories up db --yes/);
    expect((await report())?.container?.id).toBe(firstId);
  });

  it("up --yes recreates it to match, with the data in its volume intact", async () => {
    const written = await repo.slipway(["exec", "db", "sh", "-c", "echo written before > /var/lib/db/kept.txt"]);
    expect(written.exitCode, written.stderr).toBe(0);
    const result = await repo.slipway(["accessories", "up", "db", "--yes"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/db differs from the compose files:\n {2}image: runs busybox/);
    expect(result.stdout).toMatch(/db recreated: running \(healthy\), as the compose files say/);
    const db = await report();
    expect(db?.container?.id).not.toBe(firstId);
    expect(db?.drift).toEqual([]);
    expect(await inspect("{{.Config.Image}}")).toBe("busybox:stable");
    // Its env file lived only while compose read it.
    expect(readdirSync(join(repo.env.SLIPWAY_HOME ?? "", "releases", repo.project, "production", "accessories"))).toEqual(["accessories.yml"]);
    const read = await repo.slipway(["exec", "db", "cat", "/var/lib/db/kept.txt"]);
    expect(read.stdout.trim()).toBe("written before");
    // The app still reaches it by name.
    expect((await repo.get("/")).status).toBe(200);
  });

  it("up of something that is not an accessory says so, with exit 2", async () => {
    const result = await repo.slipway(["accessories", "up", "backend", "--yes"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/backend is not an accessory of .*; its accessories: db/);
  });

  it("restart restarts its container as it is; logs prints its output", async () => {
    const recreated = (await report())?.container?.id;
    const started = await inspect("{{.State.StartedAt}}");
    const restarted = await repo.slipway(["accessories", "restart", "db"]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    expect(await inspect("{{.State.StartedAt}}")).not.toBe(started);
    expect((await report())?.container?.id).toBe(recreated);
    const logs = await repo.slipway(["accessories", "logs", "db"]);
    expect(logs.exitCode, logs.stderr).toBe(0);
    const missing = await repo.slipway(["accessories", "logs", "nope"]);
    expect(missing.exitCode).toBe(2);
  });
});
