/**
 * A project's notification targets: URLs that receive a signed JSON event when a deployment
 * ends. The secret each delivery is signed with is generated here, returned once when the
 * target is added and stored sealed; no listing shows it again.
 */
import { randomBytes } from "node:crypto";
import { SlipwayError } from "../core/errors.js";
import type { NotificationAttemptRow, NotificationTargetRow } from "../store/store.js";
import type { App } from "./app.js";
import { notFound } from "./access.js";

export interface NotificationTargetView {
  readonly id: number;
  readonly url: string;
  readonly actor: string;
  readonly createdAt: Date;
}

export interface AddedNotificationTarget extends NotificationTargetView {
  /** Shown once: the receiver checks X-Slipway-Signature with it. */
  readonly secret: string;
}

export type NotificationAttemptView = Omit<NotificationAttemptRow, "id">;

const view = (t: NotificationTargetRow): NotificationTargetView => ({ id: t.id, url: t.url, actor: t.actor, createdAt: t.createdAt });

/** The project's id; a project the store does not know is not found. */
export async function knownProject(app: App, project: string): Promise<number> {
  const id = await (await app.deps()).store.projectId(project);
  if (id === undefined) throw notFound(`no project named ${project}`);
  return id;
}

/** http or https only, without credentials in it (they would be shown in every listing). */
export function checkTargetUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SlipwayError("E_USAGE", `${text} is not a URL: give one such as https://chat.example.com/hooks/slipway`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new SlipwayError("E_USAGE", `${text}: a notification URL is http:// or https://`);
  if (url.username || url.password) throw new SlipwayError("E_USAGE", `${url.host}: put no credentials in the URL; the receiver checks the X-Slipway-Signature header instead`);
  return url.href;
}

export async function addNotificationTarget(app: App, request: { project: string; url: string; actor: string }): Promise<AddedNotificationTarget> {
  const url = checkTargetUrl(request.url);
  const projectId = await knownProject(app, request.project);
  const { store, sealer } = await app.deps();
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const target = await store.addNotificationTarget({ projectId, url, secret: sealer().seal(secret), actor: request.actor });
  await store.audit({ actor: request.actor, action: "notification.add", project: request.project, detail: { id: target.id, url } });
  return { ...view(target), secret };
}

export async function listNotificationTargets(app: App, project: string): Promise<NotificationTargetView[]> {
  const projectId = await knownProject(app, project);
  return (await (await app.deps()).store.notificationTargets(projectId)).map(view);
}

export async function removeNotificationTarget(app: App, request: { project: string; id: number; actor: string }): Promise<void> {
  const projectId = await knownProject(app, request.project);
  const { store } = await app.deps();
  if (!(await store.removeNotificationTarget(projectId, request.id))) throw notFound(`${request.project} has no notification target ${request.id} (slipway notifications list ${request.project})`);
  await store.audit({ actor: request.actor, action: "notification.remove", project: request.project, detail: { id: request.id } });
}

/** Newest first: every try to deliver an event to one of the project's targets. */
export async function notificationAttempts(app: App, request: { project: string; limit?: number }): Promise<NotificationAttemptView[]> {
  const projectId = await knownProject(app, request.project);
  const rows = await (await app.deps()).store.notificationAttempts(projectId, request.limit ?? 50);
  return rows.map(({ id: _id, ...attempt }) => attempt);
}
