/**
 * The seed's own layout against the real engine: the release task and a worker run the
 * backend's image by name, with no build: of their own. They deploy with the backend's build,
 * under load with no failed request, and a rollback takes the worker back with the backend.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { helloRepo, type HelloRepo } from "../support/hello-repo.js";
import { startLoad } from "../support/load.js";

/** The example's production override, its release task and a worker naming the backend's image. */
const PROD_OVERRIDE = `services:
  frontend:
    image: hello-frontend:\${TAG:?set TAG to the release tag}
  backend:
    image: hello-backend:\${TAG:?set TAG to the release tag}
    restart: unless-stopped
  # Runs the backend's image, as a celery worker would: no build: of its own.
  worker:
    image: hello-backend:\${TAG}
    command: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 1 & wait $$!; done"]
    healthcheck:
      disable: true
  # The release task, by image name only (no extends:, no build:).
  release:
    image: hello-backend:\${TAG}
    command: ["/app/release.sh"]
    environment:
      RELEASE_EXIT_CODE: \${RELEASE_EXIT_CODE:-0}
    volumes:
      - data:/data
      - static:/static
    healthcheck:
      disable: true
    profiles: [release]
`;

let repo: HelloRepo;
const tags: string[] = [];
/** The backend's image id after each deploy. */
const backendImages: string[] = [];

/** The image id each running app container of the project runs, by service. */
async function runningImages(): Promise<Record<string, string[]>> {
  const ps = await runCommand("docker", ["ps", "-q", "--filter", "status=running", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.role=app"]);
  const ids = ps.stdout.split("\n").filter(Boolean);
  if (ids.length === 0) return {};
  const inspect = await runCommand("docker", ["inspect", "--format", '{{index .Config.Labels "slipway.service"}} {{.Image}}', ...ids]);
  const images: Record<string, string[]> = {};
  for (const line of inspect.stdout.split("\n").filter(Boolean)) {
    const [service = "", image = ""] = line.split(" ");
    images[service] = [...(images[service] ?? []), image].sort();
  }
  return images;
}

async function migrations(): Promise<string[]> {
  return (await repo.readVolume("data", "migrations.log")).split("\n").filter(Boolean);
}

beforeAll(async () => {
  repo = await helloRepo("shared-image");
  tags.push(await repo.commit({ "docker-compose.prod.yml": PROD_OVERRIDE }, "a worker and the release task on the backend's image"));
  const first = await repo.slipway(["deploy"]);
  expect(first.stderr).toMatch(/v1 is live/);
  expect(first.exitCode).toBe(0);
  backendImages.push((await runningImages()).backend?.[0] ?? "");
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("a worker and a release task that name the backend's image", () => {
  it("are an app service and the release task that run the backend's build", async () => {
    const config = await repo.slipway(["config", "--format", "json"]);
    const view = JSON.parse(config.stdout) as { slipway: { services: Record<string, { role: string; reason: string; image_of?: string }>; release_task?: string } };
    expect(view.slipway.services.worker).toEqual({ role: "app", reason: "runs backend's image", stop_first: false, image_of: "backend" });
    expect(view.slipway.services.release).toMatchObject({ role: "release", image_of: "backend" });
    expect(view.slipway.release_task).toBe("release");
    const images = await runningImages();
    expect(images.worker).toEqual(images.backend);
    expect(images.backend).toEqual([backendImages[0]]);
    expect(await migrations()).toEqual([expect.stringMatching(new RegExp(`^${tags[0] ?? ""} `))]);
  });

  it("deploy v2 under load: 0 failed requests, the worker on v2's image, the release task once from it", async () => {
    const css = readFileSync(join(repo.dir, "backend/static/app.css"), "utf8");
    tags.push(await repo.commit({ "backend/static/app.css": `${css}\n/* v2 */\n` }, "v2"));
    const load = startLoad({ port: repo.port, connections: 20 });
    const result = await repo.slipway(["deploy"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic.requests).toBeGreaterThan(100);
    expect(traffic).toMatchObject({ failed: 0, errors: 0, non2xx: 0 });
    expect((await repo.get("/")).body.split("\n")[0]).toBe(`hello from ${tags[1] ?? ""}`);
    const images = await runningImages();
    backendImages.push(images.backend?.[0] ?? "");
    expect(backendImages[1]).not.toBe(backendImages[0]);
    expect(images.worker).toEqual([backendImages[1]]);
    // Run once per deploy, each time from that deploy's image (which baked its tag in).
    expect((await migrations()).map((line) => line.split(" ")[0])).toEqual([tags[0], tags[1]]);
  });

  it("a rollback moves the worker back with the backend, without the release task", async () => {
    const load = startLoad({ port: repo.port, connections: 20 });
    const result = await repo.slipway(["rollback"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic).toMatchObject({ failed: 0 });
    const images = await runningImages();
    expect(images).toMatchObject({ backend: [backendImages[0]], worker: [backendImages[0]] });
    expect((await migrations()).map((line) => line.split(" ")[0])).toEqual([tags[0], tags[1]]);
  });
});

describe("an accessory whose image is neither here nor pullable", () => {
  it("stops the deploy at preflight, naming the image and the engine's answer; the live release serves on", async () => {
    const live = (await repo.get("/")).body.split("\n")[0];
    const image = `slipway-test-absent-${repo.project}:1`;
    const compose = readFileSync(join(repo.dir, "docker-compose.prod.yml"), "utf8");
    const base = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim();
    await repo.commit({ "docker-compose.prod.yml": `${compose}  mail:\n    image: ${image}\n` }, "an accessory no one has");
    try {
      const result = await repo.slipway(["deploy"]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`accessory mail: image ${image} is not on this machine and could not be pulled: \\S.*`));
      expect((await repo.get("/")).body.split("\n")[0]).toBe(live);
      const ps = await runCommand("docker", ["ps", "-aq", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.service=mail"]);
      expect(ps.stdout.trim()).toBe("");
    } finally {
      await runCommand("git", ["-C", repo.dir, "reset", "-q", "--hard", base]);
    }
  });
});
