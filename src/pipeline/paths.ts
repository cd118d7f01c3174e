/** Where Slipway keeps its files under $SLIPWAY_HOME. */
import { join } from "node:path";

export interface HomePaths {
  readonly home: string;
  /** The exported tree of one build. */
  build(project: string, tag: string): string;
  /** The planned compose files of one release. */
  release(project: string, environment: string, release: string): string;
  readonly router: string;
  /** The bare mirror of a project deployed from a git URL. */
  mirror(project: string): string;
  /** A checkout of one commit of such a project, made from its mirror. */
  checkout(project: string, commit: string): string;
  /** Where git's key files and known_hosts live while it fetches. */
  readonly gitScratch: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    build: (project, tag) => join(home, "builds", project, tag),
    release: (project, environment, release) => join(home, "releases", project, environment, release),
    router: join(home, "router"),
    mirror: (project) => join(home, "git", "mirrors", `${project}.git`),
    checkout: (project, commit) => join(home, "git", "checkouts", project, commit),
    gitScratch: join(home, "git", "ssh"),
  };
}
