/**
 * Promotion: deploys to one environment the build another runs now (the same images, never a
 * rebuild), with the target's own variables, accessories, routes and release task.
 */
import { SlipwayError } from "../core/errors.js";
import type { DeployOutcome } from "../pipeline/deploy.js";
import { plainSnapshotOf } from "../pipeline/release-snapshot.js";
import type { App } from "./app.js";
import { atUrls, drive, type DriveOptions, type Prepared } from "./drive.js";
import { assertDeployable, resolveOrThrow, type ProjectRequest } from "./project.js";
import { missingImages } from "./rollback-target.js";

export interface PromoteRequest extends Omit<ProjectRequest, "environment"> {
  readonly from: string;
  readonly to: string;
  readonly actor: string;
}

async function preparePromotion(app: App, request: PromoteRequest): Promise<Prepared> {
  const { from, to } = request;
  // Asked again at preflight: asking now lets compose answer while the project loads.
  app.compose.version().catch(() => undefined);
  if (from === to) throw new SlipwayError("E_USAGE", `promote ${from} ${to}: name two different environments`);
  const { store } = await app.deps();
  // The project as the target sees it (its files, its variables), first to learn its name.
  const first = await resolveOrThrow(app, { ...request, environment: to });
  const projectId = await store.ensureProject(first.project.name, first.project.dir);
  const source = await store.liveRelease(await store.ensureEnvironment(projectId, from));
  if (!source) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${from}: deploy it first`, { hint: { action: "deploy-first", environment: from } });
  const snapshot = plainSnapshotOf(source);
  if (!snapshot) throw new SlipwayError("E_NOT_FOUND", `${from}'s v${source.number} keeps no configuration snapshot: deploy ${to} instead`, { hint: { action: "deploy-first", environment: to } });
  // Read again with the promoted build's tag: images and TAG interpolation must name that build.
  const resolved = await resolveOrThrow(app, { ...request, environment: to, tag: snapshot.tag });
  assertDeployable(resolved);
  const gone = await missingImages(app.engine, resolved.project.name, resolved.classification, snapshot.tag);
  if (gone.length > 0) throw new SlipwayError("E_NOT_FOUND", `cannot promote: the images of ${from}'s v${source.number} are gone: ${gone.join(", ")}`);
  const of = `${from} v${source.number}`;
  return {
    request: { resolved, ref: of, commit: snapshot.commit, tag: snapshot.tag, cache: true, actor: request.actor, kind: "promotion", build: { id: source.buildId, of }, secrets: app.redactor.known() },
    messages: [`promoting ${of} (${snapshot.commit.slice(0, 12)}) to ${to}`],
    live: (outcome) => `${outcome.release} of ${to} (promoted from ${of}) is live${atUrls(outcome)}`,
  };
}

export function promote(app: App, request: PromoteRequest, options: DriveOptions): Promise<DeployOutcome> {
  return drive(app, () => preparePromotion(app, request), options);
}
