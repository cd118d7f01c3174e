/** Where Slipway keeps its files under $SLIPWAY_HOME. */
import { join } from "node:path";

export interface HomePaths {
  readonly home: string;
  /** The exported tree of one build. */
  build(project: string, tag: string): string;
  /** The planned compose files of one release. */
  release(project: string, environment: string, release: string): string;
  readonly router: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    build: (project, tag) => join(home, "builds", project, tag),
    release: (project, environment, release) => join(home, "releases", project, environment, release),
    router: join(home, "router"),
  };
}
