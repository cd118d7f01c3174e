import type { ResolvedProject } from "../project/resolve-project.js";

/** What a release remembers, so that a rollback can start it again without the project's files. */
export interface ReleaseSnapshot {
  readonly model: ResolvedProject["model"];
  readonly classification: ResolvedProject["classification"];
  readonly commit: string;
  readonly tag: string;
  readonly ref: string;
  /** For a rollback: the release whose build it runs. */
  readonly of?: string;
  /** The compose project it runs as (another release's, after a fast rollback). */
  readonly runsAs?: string;
}

export function runsAsOf(release: { readonly number: number; readonly config: unknown }): string {
  return (release.config as ReleaseSnapshot | undefined)?.runsAs ?? `v${release.number}`;
}
