/**
 * One-off commands (`slipway run`, `slipway exec`), decided as data: which service of the live
 * release a command may go to, and the compose arguments that run it. Argument arrays only: a
 * person's command reaches compose word for word, never through a shell.
 */
import { SlipwayError } from "../core/errors.js";
import type { Classification, Role } from "./classify.js";
import { LABEL } from "./naming.js";

export type OneOffVerb = "run" | "exec";

/**
 * The service's role, when the verb can reach it: `run` starts a fresh container from a
 * release's image, so an accessory (which no release builds) is for `exec`; `exec` needs a
 * running container, which the release task never has.
 */
export function oneOffRole(classification: Pick<Classification, "services">, service: string, verb: OneOffVerb, release: string): Role {
  const known = classification.services.filter((s) => s.role !== "ignore");
  const found = known.find((s) => s.name === service);
  if (!found) {
    throw new SlipwayError("E_NOT_FOUND", `${release} has no service ${service}; its services: ${known.map((s) => s.name).join(", ") || "none"}`);
  }
  if (verb === "run" && found.role === "accessory") {
    throw new SlipwayError("E_USAGE", `${service} is an accessory: no release has an image of it to start a fresh container from; run the command in its running container`, { hint: { action: "one-off-instead", verb: "exec", service } });
  }
  if (verb === "exec" && found.role === "release") {
    throw new SlipwayError("E_USAGE", `${service} is the release task: no container of it keeps running; start one for the command`, { hint: { action: "one-off-instead", verb: "run", service } });
  }
  return found.role;
}

export interface OneOffCommand {
  readonly verb: OneOffVerb;
  readonly service: string;
  /** The person's command and its arguments; none runs the service's own command. */
  readonly command: readonly string[];
  /** Allocate a terminal in the container (the person's stdin and stdout are one). */
  readonly tty: boolean;
  /** For `run`: the names of the variables it gets, their values given to compose's environment, never on its command line. */
  readonly variables?: readonly string[];
}

/** compose's arguments after the project's: `run --rm …` in a fresh container, or `exec …` in the first running one. */
export function oneOffArgs(input: OneOffCommand): string[] {
  const tty = input.tty ? [] : ["-T"];
  if (input.verb === "exec") return ["exec", ...tty, input.service, ...input.command];
  const variables = (input.variables ?? []).flatMap((name) => ["-e", name]);
  // --no-deps: what it depends on runs already, as the live release; labelled, so that nothing
  // mistakes it for one of the release's own containers.
  return ["run", "--rm", "--no-deps", ...tty, "--label", `${LABEL.oneOff}=true`, ...variables, input.service, ...input.command];
}
