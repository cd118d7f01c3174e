/**
 * Which image each built service makes, and who else runs it. Compose builds a service's image
 * under its `image:` name, and every service naming that image runs that build (a worker or a
 * scheduler on the web image, a release task with `image:` only): Slipway does the same, by
 * comparing image references the way the engine names them.
 */
import type { ComposeService } from "./compose-model.js";
import { normalizeImage } from "./image-ref.js";

export interface BuiltImage {
  /** The first service that builds it. */
  readonly service: string;
  readonly image: string;
}

export interface BuiltImages {
  /** What each builder names, in the order they are declared. */
  readonly list: readonly BuiltImage[];
  /** The service that builds the image a reference names, if one does. */
  builderOf(image: string | undefined): string | undefined;
  /** Among services with identical build settings, the first one: it names their one image. */
  ownerOf(service: string): string | undefined;
}

/** Roles that Slipway builds images for: the app services, then the release task (it borrows). */
const BUILDING_ROLES = ["app", "release"] as const;

/** `services` in declaration order; `role` is each one's role as it would be without an image match. */
export function builtImages(services: ReadonlyArray<readonly [string, ComposeService]>, role: (name: string, service: ComposeService) => string): BuiltImages {
  const builders = BUILDING_ROLES.flatMap((wanted) => services.filter(([name, service]) => service.build && role(name, service) === wanted));
  const owners = new Map<string, string>();
  const byKey = new Map<string, string>();
  for (const [name, service] of builders) {
    const build = service.build ?? {};
    const key = JSON.stringify(build, Object.keys(build).sort());
    const owner = byKey.get(key) ?? name;
    byKey.set(key, owner);
    owners.set(name, owner);
  }
  const byImage = new Map<string, BuiltImage>();
  for (const [name, service] of builders) {
    if (!service.image) continue;
    const normalized = normalizeImage(service.image);
    if (!byImage.has(normalized)) byImage.set(normalized, { service: name, image: service.image });
  }
  return {
    list: [...byImage.values()],
    builderOf: (image) => (image === undefined ? undefined : byImage.get(normalizeImage(image))?.service),
    ownerOf: (service) => owners.get(service),
  };
}

export interface ImageCheck {
  readonly name: string;
  readonly service: ComposeService;
  readonly role: string;
  /** Whether the role was inferred rather than declared in slipway.yml. */
  readonly inferred: boolean;
  /** The service that builds the image it names, if any. */
  readonly runs: string | undefined;
  /** Whether its `image:` names `${TAG}`. */
  readonly tagged: boolean;
  readonly built: readonly BuiltImage[];
}

function builtHere(built: readonly BuiltImage[]): string {
  if (built.length === 0) return "no service here builds an image";
  return `the images built here: ${built.map((b) => `${b.image} (${b.service})`).join(", ")}`;
}

/**
 * Slipway runs app services and the release task from the images it builds, so one that neither
 * builds nor names such an image cannot deploy; and an image that names the build's tag, that
 * nothing builds, would only be looked for in a registry.
 */
export function imageProblems(check: ImageCheck): string[] {
  const { name, service, role, runs, built } = check;
  const where = `services.${name}`;
  if (service.build || runs) return [];
  if (role === "app" || role === "release") {
    if (!service.image) return [`${where}: an ${role} service needs build: or image: in the compose file`];
    const what = role === "release" ? "the release task" : "an app service (declared in slipway.yml)";
    return [`${where}.image: ${service.image} is built by no service, and ${what} runs an image Slipway builds: give ${name} a build:, or the image: of a service that has one (${builtHere(built)})`];
  }
  if (role === "accessory" && check.inferred && check.tagged && service.image) {
    return [`${where}.image: ${service.image} names \${TAG}, the tag of Slipway's build, but no service builds it, so no registry has it: give ${name} a build:, or name an image a service builds (${builtHere(built)})`];
  }
  return [];
}
