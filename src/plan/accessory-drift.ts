/**
 * Accessory drift: how an accessory that runs differs from what the compose files describe now.
 * A deploy never recreates an accessory (its data and connections matter more), so a change to
 * one waits, named here, until `slipway accessories up` recreates it. Pure: both sides come in as
 * data (the planned accessories file and the image's defaults; the engine's inspect).
 */
import { sameImage } from "./image-ref.js";

type Json = Record<string, unknown>;

/** One accessory as it is created: what the comparison looks at. */
export interface AccessorySpec {
  readonly image: string;
  /** The image's id, when known: planned, the one its reference names on this machine now. */
  readonly imageId?: string;
  readonly entrypoint: readonly string[];
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Named volumes (by name) and bind mounts (by host path), by target; anonymous ones left out. */
  readonly mounts: Readonly<Record<string, string>>;
}

export interface ImageDefaults {
  readonly id?: string;
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
}

/** `KEY=value` entries, as the engine keeps them, by name. */
export function parseEnv(list: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((entry) => {
      const at = entry.indexOf("=");
      return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

const words = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : undefined);

/** Volumes and binds of a planned service, by target: a volume by the name its top-level entry gives it. */
function plannedMounts(service: Json, volumes: Readonly<Record<string, { name?: string } | null>>): Record<string, string> {
  const mounts = (service.volumes ?? []) as Array<{ type?: string; source?: string; target?: string }>;
  return Object.fromEntries(
    mounts.flatMap((m) => {
      if (!m.target || !m.source || (m.type !== "volume" && m.type !== "bind")) return [];
      return [[m.target, m.type === "volume" ? (volumes[m.source]?.name ?? m.source) : m.source]];
    }),
  );
}

/**
 * What an accessory created now from the planned service would be: the engine's own defaults
 * filled in (the image's variables under the service's, its command unless the service sets an
 * entrypoint, which drops it).
 */
export function plannedAccessory(input: {
  readonly service: Json;
  readonly volumes: Readonly<Record<string, { name?: string } | null>>;
  readonly variables: Readonly<Record<string, string>>;
  readonly image: ImageDefaults | undefined;
  readonly defaultImage: string;
}): AccessorySpec {
  const { service, image } = input;
  const entrypoint = words(service.entrypoint);
  const command = words(service.command) ?? (entrypoint ? [] : (image?.command ?? []));
  return {
    image: typeof service.image === "string" ? service.image : input.defaultImage,
    ...(image?.id ? { imageId: image.id } : {}),
    entrypoint: entrypoint ?? image?.entrypoint ?? [],
    command,
    environment: { ...parseEnv(image?.env ?? []), ...input.variables },
    mounts: plannedMounts(service, input.volumes),
  };
}

/** A running container as the engine describes it (its inspect, in our words). */
export interface CreatedContainer {
  readonly image: string;
  readonly imageId: string;
  readonly entrypoint: readonly string[];
  readonly command: readonly string[];
  readonly env: readonly string[];
  readonly mounts: ReadonlyArray<{ readonly type: string; readonly source: string; readonly target: string }>;
}

/**
 * The running side. Anonymous volumes (an image's VOLUME, a bare `- /path`) have a random
 * 64-hex name and are no file's to describe: left out, as on the planned side.
 */
export function runningAccessory(container: CreatedContainer): AccessorySpec {
  const named = container.mounts.filter((m) => m.type === "bind" || (m.type === "volume" && !/^[0-9a-f]{64}$/.test(m.source)));
  return {
    image: container.image,
    imageId: container.imageId,
    entrypoint: container.entrypoint,
    command: container.command,
    environment: parseEnv(container.env),
    mounts: Object.fromEntries(named.map((m) => [m.target, m.source])),
  };
}

function environmentDrift(planned: AccessorySpec["environment"], running: AccessorySpec["environment"]): string | undefined {
  const names = [...new Set([...Object.keys(planned), ...Object.keys(running)])].sort();
  const added = names.filter((n) => !(n in running));
  const removed = names.filter((n) => !(n in planned));
  const changed = names.filter((n) => n in running && n in planned && running[n] !== planned[n]);
  const parts = [...(changed.length ? [`${changed.join(", ")} changed`] : []), ...(added.length ? [`${added.join(", ")} added`] : []), ...(removed.length ? [`${removed.join(", ")} removed`] : [])];
  // Names only: the values may be secrets.
  return parts.length ? `environment: ${parts.join("; ")}` : undefined;
}

function mountDrift(planned: AccessorySpec["mounts"], running: AccessorySpec["mounts"]): string | undefined {
  const targets = [...new Set([...Object.keys(planned), ...Object.keys(running)])].sort();
  const parts = targets.flatMap((target) => {
    const want = planned[target];
    const have = running[target];
    if (want === have) return [];
    if (want === undefined) return [`${target} (${have ?? ""}) is no longer in the compose files`];
    if (have === undefined) return [`${target} would mount ${want}`];
    return [`${target} mounts ${have}, the compose files say ${want}`];
  });
  return parts.length ? `volumes: ${parts.join("; ")}` : undefined;
}

const shown = (argv: readonly string[]): string => JSON.stringify(argv);

/** Every way the running accessory differs from the planned one, one line each; none when it matches. */
export function accessoryDrift(planned: AccessorySpec, running: AccessorySpec): string[] {
  const drift: string[] = [];
  if (!sameImage(planned.image, running.image)) drift.push(`image: runs ${running.image}, the compose files say ${planned.image}`);
  else if (planned.imageId && running.imageId && planned.imageId !== running.imageId) drift.push(`image: ${planned.image} names another image now than the one it runs (pulled or built since)`);
  if (shown(planned.entrypoint) !== shown(running.entrypoint)) drift.push(`entrypoint: runs ${shown(running.entrypoint)}, the compose files say ${shown(planned.entrypoint)}`);
  if (shown(planned.command) !== shown(running.command)) drift.push(`command: runs ${shown(running.command)}, the compose files say ${shown(planned.command)}`);
  const environment = environmentDrift(planned.environment, running.environment);
  if (environment) drift.push(environment);
  const mounts = mountDrift(planned.mounts, running.mounts);
  if (mounts) drift.push(mounts);
  return drift;
}
