/**
 * The web UI in Debian's Chromium against a real `slipway serve` and the real engine, with the
 * example app: sign in, deploy and follow the deployment live, roll back, promote test to live,
 * a failing deploy, variables masked until revealed, a viewer without actions whose forged POST
 * is refused, CSRF and sign-out; axe-core on every page and a screenshot of each.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, screenshot, seriousViolations, type Browser } from "../support/browser.js";
import { githubPush, gitRemote } from "../support/git-remote.js";
import { confirmAction, openPanel, signIn, STEP_NAMES, watchDeployment, type Panel } from "./support.js";

let panel: Panel;
let browser: Browser;
let firstCommit: string;
let secondCommit: string;
/** Every address the page asked for: all of them must be slipway serve's. */
const requested = new Set<string>();

const envPage = (environment: string, tab = ""): string => `${panel.serve.url}/#/p/${panel.repo.project}/${environment}${tab ? `/${tab}` : ""}`;

/** The page passes axe-core (no critical or serious violation), and its screenshot is kept. */
async function checkPage(name: string): Promise<void> {
  const page = browser.page;
  expect(await seriousViolations(page), `${name}: accessibility`).toEqual([]);
  await screenshot(page, name);
}

async function liveRelease(environment: string): Promise<string> {
  const page = browser.page;
  await page.goto(envPage(environment));
  const live = page.getByTestId("live");
  await live.waitFor();
  return (await live.textContent()) ?? "";
}

beforeAll(async () => {
  panel = await openPanel();
  // A build that takes a moment, so that the page is seen following it.
  const dockerfile = readFileSync(join(panel.repo.dir, "backend/Dockerfile"), "utf8").trimEnd();
  firstCommit = (await panel.repo.commit({ "backend/static/app.css": "/* first */\n", "backend/Dockerfile": `${dockerfile}\nRUN sleep 2\n` }, "first")).slice(0, 12);
  browser = await openBrowser();
  browser.page.on("request", (request) => void requested.add(request.url()));
});

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await panel?.[Symbol.asyncDispose]();
});

describe("the web UI", () => {
  it("signs in with the keyboard alone, and lists the example project with its environments side by side", async () => {
    const page = browser.page;
    await page.goto(`${panel.serve.url}/`);
    await page.waitForURL(/#\/signin$/);
    await checkPage("sign-in");
    await signIn(page, panel.serve.url, "admin");
    const project = page.locator(`li.project[data-project="${panel.repo.project}"]`);
    await project.waitFor();
    expect(await project.locator("li.env").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.environment))).toEqual(["live", "test"].sort());
    await checkPage("projects-empty");
  });

  it("asks before acting, in a dialog that the keyboard opens and Escape closes without acting", async () => {
    const page = browser.page;
    await page.goto(envPage("test"));
    await page.getByRole("button", { name: "Deploy", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.locator("dialog[open]").waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await checkPage("confirm-deploy");
    await page.keyboard.press("Escape");
    await page.locator("dialog[open]").waitFor({ state: "detached" });
    expect((await panel.api("GET", `/api/projects/${panel.repo.project}/environments/test/deployments`)).json).toEqual([]);
  });

  it("deploys: each step appears and finishes live, the log follows, then the environment shows the release live and its URL the new commit", async () => {
    const page = browser.page;
    await page.goto(envPage("test"));
    const said = await confirmAction(page, "Deploy");
    expect(said).toContain("The live release serves until the new one passes its checks");
    const snapshots = await watchDeployment(page);
    const first = snapshots[0];
    const last = snapshots.at(-1);
    // The page was watching before the end: steps went from waiting or running to done in front of it.
    expect(first?.ended).toBe(false);
    expect(last?.steps).toEqual(Object.fromEntries(STEP_NAMES.map((s) => [s, "succeeded"])));
    const changedLive = STEP_NAMES.filter((s) => snapshots.some((x) => x.steps[s] !== "succeeded") && last?.steps[s] === "succeeded");
    expect(changedLive.length, JSON.stringify(snapshots.map((x) => x.steps))).toBeGreaterThanOrEqual(4);
    expect(snapshots.some((x) => x.steps.build === "running"), "the build was seen running").toBe(true);
    // The log grew while a step ran: lines showed before that step finished.
    expect(snapshots.some((x) => Object.entries(x.steps).some(([s, status]) => status === "running" && (x.lines[s] ?? 0) > 0))).toBe(true);
    expect(last?.lines.build ?? 0).toBeGreaterThan(0);
    await page.getByRole("status").filter({ hasText: "v1" }).waitFor();
    await checkPage("deployment");
    expect(await liveRelease("test")).toContain("v1");
    await checkPage("environment");
    expect((await panel.repo.get("/version")).body.trim()).toBe(firstCommit);
    await page.goto(`${panel.serve.url}/#/`);
    await page.locator(`li.env[data-environment="test"] .live`).filter({ hasText: "v1" }).waitFor();
    await page.locator(`li.env[data-environment="test"] .live`).filter({ hasText: firstCommit }).waitFor();
    await checkPage("projects");
  });

  it("rolls back from the UI to the previous release: its commit answers again", async () => {
    const page = browser.page;
    secondCommit = (await panel.repo.commit({ "backend/static/app.css": "/* second */\n" }, "second")).slice(0, 12);
    await page.goto(envPage("test"));
    await confirmAction(page, "Deploy");
    expect((await watchDeployment(page)).at(-1)?.steps.switch).toBe("succeeded");
    expect((await panel.repo.get("/version")).body.trim()).toBe(secondCommit);
    await page.goto(envPage("test"));
    await page.getByLabel("To release").locator("option", { hasText: "v1" }).waitFor({ state: "attached" });
    await page.getByLabel("To release").selectOption("v1");
    const said = await confirmAction(page, "Roll back");
    expect(said).toContain(firstCommit);
    expect(said).toContain("nothing is rebuilt");
    const rollback = await watchDeployment(page);
    expect(rollback.at(-1)?.steps.switch).toBe("succeeded");
    expect((await panel.repo.get("/version")).body.trim()).toBe(firstCommit);
    expect(await liveRelease("test")).toContain("v3");
    await page.goto(envPage("test", "releases"));
    await page.locator("tbody tr").first().filter({ hasText: "rollback" }).waitFor();
    await checkPage("releases");
  });

  it("promotes test to live: the same build, no build step in the promoted deployment", async () => {
    const page = browser.page;
    await page.goto(envPage("test"));
    await page.getByLabel("To environment").selectOption("live");
    const said = await confirmAction(page, "Promote");
    expect(said).toContain(firstCommit);
    expect(said).toContain("never rebuilt");
    const snapshots = await watchDeployment(page);
    const last = snapshots.at(-1);
    expect(last?.steps.build).toBe("skipped");
    expect(snapshots.every((x) => x.steps.build !== "running")).toBe(true);
    expect(last?.steps.switch).toBe("succeeded");
    const version = await fetch(`http://127.0.0.1:${panel.livePort}/version`).then((r) => r.text());
    expect(version.trim()).toBe(firstCommit);
    expect(await liveRelease("live")).toContain("v1");
  });

  it("a failing deploy (the release task exits 1) shows the failed step opened with its log, and the live release unchanged", async () => {
    const page = browser.page;
    const variable = `/api/projects/${panel.repo.project}/environments/test/variables/RELEASE_EXIT_CODE`;
    expect((await panel.api("PUT", variable, { value: "1" })).status).toBe(200);
    try {
      await page.goto(envPage("test"));
      await page.getByLabel("Ref (branch, tag or commit)").fill(secondCommit);
      await confirmAction(page, "Deploy");
      const last = (await watchDeployment(page)).at(-1);
      expect(last?.steps.release).toBe("failed");
      expect(last?.steps.switch).toBe("pending");
      const failed = page.locator('details.step[data-step="release"]');
      expect(await failed.getAttribute("open")).not.toBeNull();
      expect(last?.lines.release ?? 0).toBeGreaterThan(0);
      await page.getByRole("alert").filter({ hasText: "E_RELEASE_FAILED" }).waitFor();
      await checkPage("deployment-failed");
      expect(await liveRelease("test")).toContain("v3");
      expect((await panel.repo.get("/version")).body.trim()).toBe(firstCommit);
    } finally {
      await panel.api("DELETE", variable);
    }
  });

  it("cancels from the UI a queued deployment and a running one: the live release serves on", async () => {
    const page = browser.page;
    const dockerfile = readFileSync(join(panel.repo.dir, "backend/Dockerfile"), "utf8").trimEnd();
    await panel.repo.commit({ "backend/Dockerfile": `${dockerfile}\nRUN sleep 20\n` }, "a slow build");
    const ask = async (): Promise<number> => ((await panel.api("POST", `/api/projects/${panel.repo.project}/environments/test/deployments`, {})).json as { id: number }).id;
    const statusOf = async (id: number): Promise<string> => ((await panel.api("GET", `/api/deployments/${id}`)).json as { status: string }).status;
    const running = await ask();
    for (let i = 0; i < 200 && (await statusOf(running)) !== "running"; i++) await new Promise((r) => setTimeout(r, 100));
    const waiting = await ask();
    expect(await statusOf(waiting)).toBe("queued");
    await page.goto(envPage("test"));
    const said = await confirmAction(page, `Cancel #${waiting}`, "Cancel it");
    expect(said).toContain("dropped at once");
    await page.getByRole("row").filter({ hasText: `#${waiting}` }).filter({ hasText: "cancelled" }).waitFor();
    expect(await confirmAction(page, `Cancel #${running}`, "Cancel it")).toContain("the live release keeps serving");
    for (let i = 0; i < 600 && (await statusOf(running)) === "running"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await statusOf(running)).toBe("cancelled");
    await page.getByRole("row").filter({ hasText: `#${running}` }).filter({ hasText: "cancelled" }).waitFor();
    expect(await liveRelease("test")).toContain("v3");
    expect((await panel.repo.get("/version")).body.trim()).toBe(firstCommit);
  });

  it("variables are masked until an admin reveals them", async () => {
    const page = browser.page;
    const secret = "a-secret-value-only-revealed";
    expect((await panel.api("PUT", `/api/projects/${panel.repo.project}/environments/test/variables/SECRET_KEY`, { value: secret })).status).toBe(200);
    await page.goto(envPage("test", "variables"));
    await page.locator('tr[data-variable="SECRET_KEY"]').waitFor();
    expect(await page.content()).not.toContain(secret);
    await checkPage("variables");
    await page.getByRole("button", { name: "Reveal values" }).click();
    await page.locator('tr[data-variable="SECRET_KEY"] code.value').filter({ hasText: secret }).waitFor();
    await page.getByRole("button", { name: "Hide values" }).click();
    await page.locator('tr[data-variable="SECRET_KEY"] code.value').waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(secret);
  });

  it("shows accessories, the router's state, the audit log and tokens", async () => {
    const page = browser.page;
    await page.goto(envPage("test", "accessories"));
    await page.getByRole("cell", { name: "db", exact: true }).waitFor();
    await checkPage("accessories");
    await page.goto(`${panel.serve.url}/#/router`);
    await page.getByRole("heading", { name: new RegExp(`${panel.repo.project} test`) }).waitFor();
    await page.locator("td", { hasText: "ready" }).first().waitFor();
    await checkPage("router");
    await page.goto(`${panel.serve.url}/#/audit`);
    await page.getByRole("cell", { name: "variables.reveal" }).first().waitFor();
    await checkPage("audit");
    await page.goto(`${panel.serve.url}/#/tokens`);
    await page.getByRole("cell", { name: "browser tests" }).waitFor();
    await confirmAction(page, "Create token", "Create");
    await page.getByRole("status").filter({ hasText: "slw_" }).waitFor();
    await checkPage("tokens");
  });

  it("shows a git project's source and each webhook delivery with its verdict", async () => {
    await using remote = await gitRemote({ "slipway.yml": "project: hooked\nenvironments:\n  live: { default: true, branch: main }\n", "docker-compose.yml": "services:\n  web:\n    image: busybox\n" });
    const registered = await panel.api("POST", "/api/projects", { name: "hooked", git: remote.url });
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    const secret = (registered.json as { webhook: { secret: string } }).webhook.secret;
    const commit = await remote.commit({ "README.md": "feature\n" }, { branch: "feature" });
    for (const message of [githubPush("not the secret", { ref: "refs/heads/main", commit, delivery: "ui-forged" }), githubPush(secret, { ref: "refs/heads/feature", commit, delivery: "ui-feature" })]) {
      await fetch(`${panel.serve.url}/hooks/hooked`, { method: "POST", ...message });
    }
    const page = browser.page;
    await page.goto(`${panel.serve.url}/#/w/hooked`);
    await page.reload();
    await page.locator('tr[data-delivery="ui-feature"]', { hasText: "no environment deploys branch feature" }).waitFor();
    await page.locator('tr[data-delivery="ui-forged"]', { hasText: "bad signature" }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await checkPage("webhooks");
  });

  it("a viewer sees no deploy, rollback, promote or cancel control, and a forged POST from its session is refused", async () => {
    const page = browser.page;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/#\/signin$/);
    await signIn(page, panel.serve.url, "viewer");
    await page.goto(envPage("test"));
    await page.getByTestId("live").waitFor();
    await page.getByRole("table", { name: "Deployments" }).waitFor();
    for (const name of [/^deploy$/i, /roll back/i, /promote/i, /cancel/i]) expect(await page.getByRole("button", { name }).count(), String(name)).toBe(0);
    expect(await page.getByRole("columnheader", { name: "Action" }).count()).toBe(0);
    await checkPage("environment-viewer");
    const forged = await page.evaluate(async (path) => {
      const session = (await (await fetch("/api/session")).json()) as { csrf: string };
      const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-slipway-csrf": session.csrf }, body: "{}" });
      return response.status;
    }, `/api/projects/${panel.repo.project}/environments/test/deployments`);
    expect(forged).toBe(403);
  });

  it("refuses a POST made with the cookie but without the CSRF token; after sign-out, pages go to sign-in", async () => {
    const page = browser.page;
    const statuses = await page.evaluate(async () => {
      const noToken = await fetch("/api/deployments/1/cancel", { method: "POST" });
      const wrongToken = await fetch("/api/deployments/1/cancel", { method: "POST", headers: { "x-slipway-csrf": "1" } });
      return [noToken.status, wrongToken.status];
    });
    expect(statuses).toEqual([403, 403]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/#\/signin$/);
    for (const path of ["#/", `#/p/${panel.repo.project}/test`, "#/d/1", "#/audit"]) {
      await page.goto(`${panel.serve.url}/${path}`);
      await page.waitForURL(/#\/signin$/);
    }
    expect(await page.evaluate(async () => (await fetch("/api/projects")).status)).toBe(401);
  });

  it("fits a phone-sized screen: no page scrolls sideways", async () => {
    await using phone = await openBrowser({ viewport: { width: 390, height: 844 } });
    await signIn(phone.page, panel.serve.url, "admin");
    await phone.page.locator(`li.project[data-project="${panel.repo.project}"]`).waitFor();
    const pages = { projects: "#/", environment: `#/p/${panel.repo.project}/test`, deployment: "#/d/1", releases: `#/p/${panel.repo.project}/test/releases`, audit: "#/audit" };
    for (const [name, path] of Object.entries(pages)) {
      await phone.page.goto(`${panel.serve.url}/${path}`);
      await phone.page.locator("main h1").waitFor();
      await phone.page.waitForTimeout(300);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      // A table wider than the screen scrolls in its own region, which the keyboard reaches too.
      expect(await seriousViolations(phone.page), `${name} on a phone: accessibility`).toEqual([]);
      await screenshot(phone.page, `phone-${name}`);
    }
  });

  it("loaded nothing from anywhere but slipway serve", () => {
    expect(requested.size).toBeGreaterThan(10);
    expect([...requested].filter((url) => !url.startsWith(`${panel.serve.url}/`) && !url.startsWith("data:"))).toEqual([]);
  });
});
