/** The live release of an environment, as the operations that act on what runs need it. */
import { existsSync } from "node:fs";
import type { ComposeProject } from "../adapters/compose-cli.js";
import { SlipwayError } from "../core/errors.js";
import { accessoriesProjectName, releaseProjectName } from "../plan/naming.js";
import { plainSnapshotOf, runsAsOf, type PlainSnapshot } from "../pipeline/release-snapshot.js";
import type { ReleaseRow } from "../store/store.js";
import type { App } from "./app.js";
import type { OpenEnvironment } from "./project.js";

export interface LiveRelease {
  readonly row: ReleaseRow;
  /** Its own name, such as v7. */
  readonly name: string;
  /** The compose project (and labels) it runs as: its own name, or after a fast rollback the release it restarted. */
  readonly runsAs: string;
  /** Its plain snapshot (none for a release made before snapshots were kept). */
  readonly snapshot?: PlainSnapshot;
  /** Its compose project, from the planned file its containers were made from. */
  readonly project: ComposeProject;
  /** The environment's accessories, with the accessories file planned beside it. */
  readonly accessories: ComposeProject;
}

/** The live release, or E_NOT_FOUND saying to deploy first. */
export async function liveReleaseOf(app: App, env: OpenEnvironment): Promise<LiveRelease> {
  const { store } = await app.deps();
  const { name: project, environment, dir } = env.project;
  const row = await store.liveRelease(env.environmentId);
  if (!row) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${environment.name}: deploy it first`, { hint: { action: "deploy-first", environment: environment.name } });
  const runsAs = runsAsOf(row);
  const files = app.paths.release(project, environment.name, runsAs);
  const snapshot = plainSnapshotOf(row);
  return {
    row,
    name: `v${row.number}`,
    runsAs,
    ...(snapshot ? { snapshot } : {}),
    project: { projectName: releaseProjectName(project, environment.name, runsAs), files: [`${files}/release.yml`], projectDirectory: dir },
    accessories: { projectName: accessoriesProjectName(project, environment.name), files: [`${files}/accessories.yml`], projectDirectory: dir },
  };
}

/** The compose project, once its planned file is known to be there (removing it by hand is the one way it goes). */
export function withPlannedFile(project: ComposeProject, release: string): ComposeProject {
  const file = project.files[0] ?? "";
  if (!existsSync(file)) throw new SlipwayError("E_NOT_FOUND", `the planned file of ${release} is gone (${file}): deploy again to write it`);
  return project;
}
