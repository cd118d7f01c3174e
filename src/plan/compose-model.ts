/**
 * The resolved compose model, as `docker compose config --format json` prints it. Only the
 * fields Slipway reads are typed; everything else passes through untouched.
 */
export interface ComposePort {
  readonly target: number;
  readonly published?: string | number;
  readonly host_ip?: string;
  readonly protocol?: string;
  readonly mode?: string;
  readonly [key: string]: unknown;
}

export interface ComposeVolumeMount {
  readonly type: string;
  readonly source?: string;
  readonly target: string;
  readonly [key: string]: unknown;
}

export interface ComposeHealthcheck {
  readonly test?: readonly string[] | string;
  readonly disable?: boolean;
  readonly [key: string]: unknown;
}

export interface ComposeService {
  readonly build?: { readonly context?: string; readonly dockerfile?: string; readonly [key: string]: unknown };
  readonly image?: string;
  readonly container_name?: string;
  readonly ports?: readonly ComposePort[];
  readonly expose?: readonly (string | number)[];
  readonly volumes?: readonly ComposeVolumeMount[];
  readonly networks?: Readonly<Record<string, unknown>>;
  readonly network_mode?: string;
  readonly depends_on?: Readonly<Record<string, unknown>>;
  readonly healthcheck?: ComposeHealthcheck;
  readonly profiles?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly [key: string]: unknown;
}

export interface ComposeModel {
  readonly name?: string;
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly networks?: Readonly<Record<string, { readonly name?: string; readonly external?: boolean; readonly [key: string]: unknown } | null>>;
  readonly volumes?: Readonly<Record<string, { readonly name?: string; readonly external?: boolean; readonly [key: string]: unknown } | null>>;
  readonly [key: string]: unknown;
}

/** The host port a published port mapping names, if any ("8080" → 8080; "" or absent → none). */
export function publishedPort(port: ComposePort): number | undefined {
  const value = typeof port.published === "number" ? port.published : Number.parseInt(port.published ?? "", 10);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The model with every bind mount under `from` moved to the same place under `to`: a model
 * read from a commit's exported tree mounts the project's own files, as a deploy would.
 */
export function rebaseBindMounts(model: ComposeModel, from: string, to: string): ComposeModel {
  const base = from.replace(/\/+$/, "");
  const moved = (source: string | undefined): string | undefined => {
    if (source === undefined || (source !== base && !source.startsWith(`${base}/`))) return source;
    return `${to.replace(/\/+$/, "")}${source.slice(base.length)}`;
  };
  const services = Object.fromEntries(
    Object.entries(model.services).map(([name, service]) => {
      if (!service.volumes) return [name, service];
      const volumes = service.volumes.map((mount) => (mount.type === "bind" ? { ...mount, source: moved(mount.source) } : mount));
      return [name, { ...service, volumes }];
    }),
  );
  return { ...model, services };
}
