/** Names the code of this build: what caches of its results are keyed by. */

// Set by scripts/build.ts (esbuild's define) to a digest of the sources and the locked
// dependencies; absent when the code runs from source (tests), where nothing is cached.
declare const __SLIPWAY_BUILD_ID__: string | undefined;

export const BUILD_ID: string | undefined = typeof __SLIPWAY_BUILD_ID__ === "string" ? __SLIPWAY_BUILD_ID__ : undefined;
