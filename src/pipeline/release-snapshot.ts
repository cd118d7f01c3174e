import { SlipwayError } from "../core/errors.js";
import type { ComposeModel } from "../plan/compose-model.js";
import type { ResolvedProject } from "../project/resolve-project.js";
import type { Sealer } from "../secrets/cipher.js";

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

/** The part of a snapshot stored in clear: everything but the model, whose values may be secrets. */
export type PlainSnapshot = Omit<ReleaseSnapshot, "model">;

/** What is sealed: the model, and the secret values to redact from the release's output. */
interface SealedPart {
  readonly model: ComposeModel;
  readonly secrets: readonly string[];
}

export function runsAsOf(release: { readonly number: number; readonly config: unknown }): string {
  return (release.config as ReleaseSnapshot | undefined)?.runsAs ?? `v${release.number}`;
}

export function sealSnapshot(snapshot: ReleaseSnapshot, secrets: readonly string[], sealer: Sealer): { config: PlainSnapshot; sealed: string } {
  const { model, ...plain } = snapshot;
  const part: SealedPart = { model, secrets };
  return { config: plain, sealed: sealer.seal(JSON.stringify(part)) };
}

/**
 * A digest of every variable the release's containers get (not the values): equal digests, same
 * variables. Keyed by the master key, so it says nothing about a value to whoever reads it.
 */
export function variablesDigest(model: ComposeModel, sealer: Sealer): string {
  const canonical = Object.keys(model.services)
    .sort()
    .map((name) => {
      const environment = model.services[name]?.environment ?? {};
      return [name, Object.keys(environment).sort().map((key) => [key, environment[key] ?? null])];
    });
  return sealer.digest(JSON.stringify(canonical));
}

interface StoredRelease {
  readonly number: number;
  readonly config: unknown;
  readonly sealed?: string;
  readonly commit?: string;
}

/** The plain part of a release's snapshot; undefined when it keeps none (or an incomplete one). */
export function plainSnapshotOf(release: Pick<StoredRelease, "config">): PlainSnapshot | undefined {
  const plain = release.config as Partial<PlainSnapshot> | undefined;
  return plain?.classification && plain.commit && plain.tag ? (plain as PlainSnapshot) : undefined;
}

/** The whole snapshot, its model opened with the master key (releases made before sealing keep it in clear). */
export function openSnapshot(release: StoredRelease, sealer: () => Sealer | undefined): { snapshot: ReleaseSnapshot; secrets: readonly string[] } {
  const plain = plainSnapshotOf(release);
  const cleartext = (release.config as Partial<ReleaseSnapshot> | undefined)?.model;
  const missing = new SlipwayError("E_NOT_FOUND", `v${release.number} keeps no configuration snapshot, so it cannot be started again: deploy its commit with slipway deploy --ref ${release.commit ?? plain?.commit ?? "<commit>"}`);
  if (!plain) throw missing;
  if (release.sealed === undefined) {
    if (!cleartext) throw missing;
    return { snapshot: { ...plain, model: cleartext }, secrets: [] };
  }
  const key = sealer();
  if (!key) throw new SlipwayError("E_SECRET_KEY", `v${release.number}'s configuration is encrypted, and there is no master key here: set SLIPWAY_MASTER_KEY, or restore the key file`);
  const part = JSON.parse(key.open(release.sealed, `v${release.number}'s configuration`)) as SealedPart;
  return { snapshot: { ...plain, model: part.model }, secrets: part.secrets };
}
