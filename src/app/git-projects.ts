/**
 * Projects deployed from a git URL. The server keeps a bare mirror of each, fetched on demand,
 * and deploys a checkout of exactly the commit asked for (made from the mirror, never a working
 * tree someone edits): slipway.yml and the compose files are that commit's. The project's
 * registered directory is the newest checkout, which status and the other readers load.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { SlipwayError } from "../core/errors.js";
import type { GitCredentials } from "../adapters/git-mirror.js";
import { generateDeployKey } from "../adapters/deploy-key.js";
import { loadProject } from "../project/load-project.js";
import { problemsError } from "../project/problem.js";
import type { ProjectGit, ProjectListRow, ProjectSettings } from "../store/server-types.js";
import type { App } from "./app.js";
import { notFound, requireProject, type Principal } from "./access.js";

/** What a git project keeps sealed: the webhook secret and how to fetch. */
export interface ProjectSecrets extends GitCredentials {
  readonly webhookSecret: string;
  readonly sshPublicKey?: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SSH_URL = /^(ssh:\/\/|[^/:@\s]+@[^/:\s]+:)/;

export const newWebhookSecret = (): string => randomBytes(32).toString("hex");

function sealerOf(app: App) {
  const sealer = app.sealer({ create: true });
  if (!sealer) throw new SlipwayError("E_SECRET_KEY", "no master key: set SLIPWAY_MASTER_KEY or let Slipway create its key file under SLIPWAY_HOME");
  return sealer;
}

export async function projectSecrets(app: App, projectId: number): Promise<ProjectSecrets | undefined> {
  const sealed = await (await app.deps()).store.projectSecrets(projectId);
  if (sealed === undefined) return undefined;
  return JSON.parse(sealerOf(app).open(sealed, "the project's secrets")) as ProjectSecrets;
}

async function saveSecrets(app: App, projectId: number, secrets: ProjectSecrets): Promise<void> {
  await (await app.deps()).store.setProjectSecrets(projectId, sealerOf(app).seal(JSON.stringify(secrets)));
}

/** The path webhooks are sent to, and the whole URL when the server's public URL is known. */
export function webhookAddress(app: App, project: string): { path: string; url?: string } {
  const path = `/hooks/${project}`;
  const base = app.env.SLIPWAY_PUBLIC_URL?.replace(/\/+$/, "");
  return base ? { path, url: `${base}${path}` } : { path };
}

export interface CheckedOut {
  readonly dir: string;
  readonly commit: string;
}

/** The fetch of each mirror under way in this process: two at once would race for git's ref locks. */
const fetching = new Map<string, Promise<void>>();

/** Fetches the project's mirror: every branch and tag the remote has now (after any fetch of it under way). */
export async function fetchProject(app: App, project: { name: string; git: ProjectGit }, secrets: ProjectSecrets | undefined, signal?: AbortSignal): Promise<string> {
  const dir = app.paths.mirror(project.name);
  const credentials = secrets ? { ...(secrets.token ? { token: secrets.token } : {}), ...(secrets.tokenUser ? { tokenUser: secrets.tokenUser } : {}), ...(secrets.sshKey ? { sshKey: secrets.sshKey } : {}) } : undefined;
  if (secrets?.token) app.redactor.add([secrets.token]);
  const before = fetching.get(dir) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => app.mirror.fetch({ url: project.git.url, dir, scratch: app.paths.gitScratch, ...(credentials ? { credentials } : {}), ...(signal ? { signal } : {}) }));
  fetching.set(dir, mine);
  try {
    await mine;
  } finally {
    if (fetching.get(dir) === mine) fetching.delete(dir);
  }
  return dir;
}

/** A checkout of the commit a ref names in the (fetched) mirror. */
export async function checkOut(app: App, project: { name: string; git: ProjectGit }, mirror: string, ref: string): Promise<CheckedOut> {
  const commit = await app.mirror.resolve(mirror, ref);
  if (!commit) throw new SlipwayError("E_GIT", `"${ref}" names no branch, tag or commit of ${project.name}'s repository (fetched just now)`);
  const dir = app.paths.checkout(project.name, commit);
  await app.mirror.checkout(mirror, commit, dir, project.git.url);
  return { dir, commit };
}

/**
 * Reads the project at a checkout: its name must be the registered one (or none), and every
 * environment it declares is known to the store from then on.
 */
async function adoptCheckout(app: App, name: string, checkout: CheckedOut): Promise<void> {
  const loaded = await loadProject({ dir: checkout.dir, name, processEnv: app.env }, { git: app.git });
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (!loaded.project || blocking.length > 0) throw problemsError(blocking);
  const { project } = loaded;
  if (project.name !== name) throw new SlipwayError("E_CONFIG_INVALID", `commit ${checkout.commit.slice(0, 12)}'s slipway.yml names the project ${project.name}, not ${name}`);
  const { store } = await app.deps();
  const projectId = await store.ensureProject(name, checkout.dir);
  await store.setProjectDir(projectId, checkout.dir);
  for (const environment of new Set([project.environment.name, ...Object.keys(project.config.environments ?? {})])) await store.ensureEnvironment(projectId, environment);
}

/** The branch an environment deploys when no ref is given: its `branch:` at the newest checkout, else the project's, else the remote's default. */
async function branchOf(app: App, row: ProjectListRow & { git: ProjectGit }, mirror: string, environment: string | undefined): Promise<string> {
  if (environment !== undefined) {
    const loaded = await loadProject({ dir: row.dir, name: row.name, environment, processEnv: app.env }, { git: app.git }).catch(() => undefined);
    const branch = loaded?.project?.environment.settings?.branch;
    if (branch) return branch;
  }
  const branch = row.git.branch ?? (await app.mirror.defaultBranch(mirror));
  if (!branch) throw new SlipwayError("E_GIT", `${row.name}'s remote names no default branch: register it with --branch, or give a ref`);
  return branch;
}

/**
 * What a deployment of a git project runs from: the mirror fetched now, the ref (default: the
 * environment's branch) resolved there, and that commit's checkout, adopted as the project's.
 */
export async function checkoutFor(app: App, row: ProjectListRow & { git: ProjectGit }, ask: { ref?: string; environment?: string; signal?: AbortSignal; adopt?: boolean }): Promise<CheckedOut> {
  const mirror = await fetchProject(app, row, await projectSecrets(app, row.id), ask.signal);
  const ref = ask.ref ?? (await branchOf(app, row, mirror, ask.environment));
  const checkout = await checkOut(app, row, mirror, ref);
  // A pull request's commit is read, not adopted: the project stays at its branches' commits.
  if (ask.adopt !== false) await adoptCheckout(app, row.name, checkout);
  return checkout;
}

export interface AddGitProjectRequest {
  readonly name: string;
  readonly url: string;
  readonly branch?: string;
  /** An HTTPS token to fetch with, and the user it goes with. */
  readonly token?: string;
  readonly tokenUser?: string;
  readonly settings?: ProjectSettings;
  readonly actor: string;
}

export interface GitProjectAdded {
  readonly name: string;
  readonly git: ProjectGit;
  readonly environments: readonly string[];
  readonly webhook: { readonly path: string; readonly url?: string; readonly secret: string };
  /** The public half of the deploy key Slipway made for an SSH URL: add it to the repository. */
  readonly publicKey?: string;
  /** Why the first fetch failed, when the project was kept anyway (an SSH URL whose key is not added yet). */
  readonly fetchError?: string;
}

/**
 * Registers a project by git URL: fetches it, checks out its branch, learns its environments
 * from that commit's slipway.yml. An SSH URL gets a deploy key of its own; since the key must be
 * added to the repository before a fetch can work, such a project is kept when the first fetch
 * fails, and the answer says why. Any other failure records nothing.
 */
export async function addGitProject(app: App, request: AddGitProjectRequest): Promise<GitProjectAdded> {
  if (!PROJECT_NAME.test(request.name)) throw new SlipwayError("E_USAGE", `${request.name}: a project's name is lowercase letters, digits, - and _ (it names Docker objects)`);
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(request.url)) throw new SlipwayError("E_USAGE", "the URL holds a password: give the URL without it, and the token with --token-stdin (stored encrypted, never shown)");
  const { store } = await app.deps();
  if (await store.project(request.name)) throw new SlipwayError("E_EXISTS", `a project named ${request.name} exists already (slipway webhooks rotate ${request.name} makes a new webhook secret)`);
  const git: ProjectGit = { url: request.url, ...(request.branch ? { branch: request.branch } : {}) };
  const ssh = SSH_URL.test(request.url);
  const key = ssh ? await generateDeployKey(app.paths.gitScratch, `slipway-${request.name}`) : undefined;
  const secrets: ProjectSecrets = {
    webhookSecret: newWebhookSecret(),
    ...(request.token ? { token: request.token } : {}),
    ...(request.tokenUser ? { tokenUser: request.tokenUser } : {}),
    ...(key ? { sshKey: key.privateKey, sshPublicKey: key.publicKey } : {}),
  };
  const mirror = app.paths.mirror(request.name);
  let checkout: CheckedOut | undefined;
  let fetchError: string | undefined;
  try {
    await fetchProject(app, { name: request.name, git }, secrets);
    const branch = request.branch ?? (await app.mirror.defaultBranch(mirror));
    if (!branch) throw new SlipwayError("E_GIT", `${request.url} names no default branch: give --branch`);
    checkout = await checkOut(app, { name: request.name, git }, mirror, branch);
  } catch (error) {
    if (!ssh || !(error instanceof SlipwayError) || error.code !== "E_GIT") {
      rmSync(mirror, { recursive: true, force: true });
      throw error;
    }
    fetchError = app.redactor.apply(error.message);
  }
  const projectId = await store.ensureProject(request.name, checkout?.dir ?? mirror);
  await store.setProjectGit(projectId, git);
  await saveSecrets(app, projectId, secrets);
  await store.setProjectSettings(projectId, request.settings ?? {});
  if (checkout) await adoptCheckout(app, request.name, checkout);
  await store.audit({ actor: request.actor, action: "project.register", project: request.name, detail: { git: { url: request.url, ...(request.branch ? { branch: request.branch } : {}) }, credentials: request.token ? "token" : key ? "deploy key" : "none" } });
  const row = (await store.project(request.name)) as ProjectListRow;
  return {
    name: row.name,
    git,
    environments: row.environments,
    webhook: { ...webhookAddress(app, row.name), secret: secrets.webhookSecret },
    ...(key ? { publicKey: key.publicKey } : {}),
    ...(fetchError ? { fetchError } : {}),
  };
}

/** A registered project from a git URL the principal may see (else 404, or a usage error for a checkout). */
export async function gitProject(app: App, principal: Principal, name: string): Promise<ProjectListRow & { git: ProjectGit }> {
  requireProject(principal, name);
  const row = await (await app.deps()).store.project(name);
  if (!row) throw notFound(`no project named ${name}`);
  if (!row.git) throw new SlipwayError("E_USAGE", `${name} is a checkout on this host, not a project from a git URL: it gets no webhooks`);
  return row as ProjectListRow & { git: ProjectGit };
}

/** A new webhook secret for the project, shown once; the old one is refused from now on. */
export async function rotateWebhookSecret(app: App, principal: Principal, name: string): Promise<{ path: string; url?: string; secret: string }> {
  const row = await gitProject(app, principal, name);
  const current = await projectSecrets(app, row.id);
  const secret = newWebhookSecret();
  await saveSecrets(app, row.id, { ...(current ?? {}), webhookSecret: secret });
  await (await app.deps()).store.audit({ actor: principal.actor, action: "project.webhook-secret.rotate", project: name, detail: {} });
  return { ...webhookAddress(app, name), secret };
}

/** The public half of the project's deploy key, to add to its repository (read-only). */
export async function deployKeyOf(app: App, principal: Principal, name: string): Promise<string> {
  const row = await gitProject(app, principal, name);
  const key = (await projectSecrets(app, row.id))?.sshPublicKey;
  if (!key) throw new SlipwayError("E_NOT_FOUND", `${name} fetches ${row.git.url} without a deploy key (only SSH URLs get one)`);
  return key;
}

