/**
 * Which driver runs an environment. Apart from the schema so that commands which only read an
 * environment's name and settings never load the schema library to ask.
 */
export const DRIVERS = ["compose", "swarm"] as const;
export type Driver = (typeof DRIVERS)[number];

/** The environment's driver, compose unless it says otherwise. */
export const environmentDriver = (settings: { readonly driver?: Driver | undefined } | undefined): Driver => settings?.driver ?? "compose";
