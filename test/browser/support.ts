/**
 * What the browser tests share: the example app in a throwaway repository with `test` and
 * `live` environments, a real `slipway serve` over it, users of each role, and the steps a
 * person takes in the UI (sign in, confirm a dialog, follow a deployment to its end).
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { freePort, helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";

export const PASSWORDS = { admin: "admin password of the panel", viewer: "viewer password of the panel" } as const;
export const STEP_NAMES = ["preflight", "source", "build", "release", "start", "verify", "switch", "retire"] as const;

export interface Panel extends AsyncDisposable {
  readonly repo: HelloRepo;
  readonly serve: ServeProcess;
  readonly livePort: number;
  /** A call with the admin token (for what a test sets up rather than clicks). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}

export async function openPanel(): Promise<Panel> {
  const repo = await helloRepo("ui");
  const livePort = await freePort();
  await repo.commit({ "slipway.yml": slipwayYml(repo.project, repo.port, `compose: [docker-compose.yml, docker-compose.prod.yml]\nenvironments:\n  test: { default: true }\n  live: { listen: ${livePort} }\n`) }, "test and live");
  const created = await repo.slipway(["tokens", "create", "--role", "admin", "--description", "browser tests"]);
  expect(created.exitCode, created.stderr).toBe(0);
  const token = created.stdout.trim();
  const serve = await startServe({ cwd: repo.dir, env: repo.env });
  const api: Panel["api"] = async (method, path, body) => {
    const response = await fetch(`${serve.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  for (const role of ["admin", "viewer"] as const) expect((await api("POST", "/api/users", { name: role, role, password: PASSWORDS[role] })).status).toBe(201);
  expect((await api("POST", "/api/projects", { name: repo.project, path: repo.dir })).status).toBe(201);
  return {
    repo,
    serve,
    livePort,
    api,
    async [Symbol.asyncDispose]() {
      if (serve.child.exitCode === null) {
        serve.child.kill("SIGTERM");
        await serve.exited;
      }
      await repo.slipway(["down", "--volumes", "--env", "live"]);
      await repo[Symbol.asyncDispose]();
    },
  };
}

/** Signs in with the keyboard alone: type, Tab, type, Enter. */
export async function signIn(page: Page, url: string, role: keyof typeof PASSWORDS): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(/#\/signin$/);
  await page.getByLabel("User").focus();
  await page.keyboard.type(role);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORDS[role]);
  expect(await page.getByLabel("User").inputValue()).toBe(role);
  await page.keyboard.press("Enter");
  const signedIn = page.getByRole("heading", { name: "Projects", level: 1 });
  const refused = page.locator("#signin-error");
  await signedIn.or(refused).waitFor();
  if (await refused.isVisible()) throw new Error(`signing in as ${role} was refused: ${await refused.textContent()}`);
}

/** Clicks an action's button, then the confirm button of the dialog it opens; returns what the dialog said. */
export async function confirmAction(page: Page, button: string, confirm = button): Promise<string> {
  await page.getByRole("button", { name: button, exact: true }).click();
  const dialog = page.locator("dialog[open]");
  await dialog.waitFor();
  const said = (await dialog.textContent()) ?? "";
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  return said;
}

export interface Snapshot {
  readonly steps: Record<string, string>;
  readonly lines: Record<string, number>;
  readonly ended: boolean;
}

/** The deployment page as it changes, read every 100 ms until the outcome shows. */
export async function watchDeployment(page: Page, timeoutMs = 240_000): Promise<Snapshot[]> {
  await page.waitForURL(/#\/d\/\d+$/);
  const snapshots: Snapshot[] = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const snapshot = await page.evaluate(() => {
      const steps: Record<string, string> = {};
      const lines: Record<string, number> = {};
      for (const li of document.querySelectorAll<HTMLElement>("ol.timeline li")) steps[li.dataset.step ?? ""] = li.dataset.status ?? "";
      for (const d of document.querySelectorAll<HTMLElement>("details.step")) lines[d.dataset.step ?? ""] = (d.querySelector("pre.log")?.textContent ?? "").split("\n").filter(Boolean).length;
      return { steps, lines, ended: document.querySelector(".outcome") !== null };
    });
    snapshots.push(snapshot);
    if (snapshot.ended) return snapshots;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the deployment page showed no outcome within ${timeoutMs} ms: ${JSON.stringify(snapshots.at(-1))}`);
}

