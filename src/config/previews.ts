/**
 * A preview environment's settings: `pr-<number>`, made from slipway.yml's `previews:` (and the
 * template environment it names) rather than declared under `environments:`.
 */
import type { EnvironmentConfig, SlipwayConfig } from "./slipway-schema.js";

const PREVIEW = /^pr-([1-9][0-9]{0,8})$/;

/** The pull request a preview environment's name stands for, if it is one. */
export function previewNumber(name: string): number | undefined {
  const match = PREVIEW.exec(name);
  return match ? Number(match[1]) : undefined;
}

export const previewName = (number: number): string => `pr-${number}`;

/** The settings of preview `name`, or undefined when it is none (or slipway.yml has no previews). */
export function previewEnvironment(config: SlipwayConfig, name: string): EnvironmentConfig | undefined {
  const number = previewNumber(name);
  const previews = config.previews;
  if (number === undefined || !previews) return undefined;
  const template = previews.template ? config.environments?.[previews.template] : undefined;
  // What makes the template itself (its default, branch, tags, names and port) is not the preview's.
  const { default: _default, branch: _branch, tags: _tags, hosts: _hosts, listen: _listen, tls: _tls, hsts: _hsts, ...inherited } = template ?? {};
  const ports = previews.ports?.split("-").map(Number);
  const listen = ports && ports.length === 2 ? (ports[0] as number) + (number % ((ports[1] as number) - (ports[0] as number) + 1)) : undefined;
  return {
    ...inherited,
    ...(previews.hosts ? { hosts: [previews.hosts.replaceAll("{number}", String(number))] } : {}),
    ...(previews.hosts === undefined && listen !== undefined ? { listen } : {}),
  };
}
