import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import type { ServiceClass } from "./classify.js";
import { oneOffArgs, oneOffRole, type OneOffCommand } from "./one-off.js";
import { serviceVariables } from "./runtime-variables.js";

const service = (name: string, role: ServiceClass["role"]): ServiceClass => ({ name, role, reason: "", stopFirst: false });
const classification = { services: [service("web", "app"), service("worker", "app"), service("db", "accessory"), service("release", "release"), service("docs", "ignore")] };

function refusal(verb: "run" | "exec", name: string): unknown {
  try {
    oneOffRole(classification, name, verb, "v3");
  } catch (error) {
    return isSlipwayError(error) ? { code: error.code, message: error.message, hint: error.hint } : error;
  }
  return undefined;
}

describe("oneOffRole", () => {
  it.each([
    { name: "run on an app service", verb: "run", service: "web", role: "app" },
    { name: "run on the release task", verb: "run", service: "release", role: "release" },
    { name: "exec on an app service", verb: "exec", service: "worker", role: "app" },
    { name: "exec on an accessory", verb: "exec", service: "db", role: "accessory" },
  ] as const)("$name", ({ verb, service: name, role }) => {
    expect(oneOffRole(classification, name, verb, "v3")).toBe(role);
  });

  it.each([
    {
      name: "an unknown service, listing the known ones (not the ignored)",
      verb: "run",
      service: "nope",
      expected: { code: "E_NOT_FOUND", message: "v3 has no service nope; its services: web, worker, db, release", hint: undefined },
    },
    { name: "an ignored service", verb: "exec", service: "docs", expected: { code: "E_NOT_FOUND", message: "v3 has no service docs; its services: web, worker, db, release", hint: undefined } },
    {
      name: "run on an accessory: exec instead",
      verb: "run",
      service: "db",
      expected: {
        code: "E_USAGE",
        message: "db is an accessory: no release has an image of it to start a fresh container from; run the command in its running container",
        hint: { action: "one-off-instead", verb: "exec", service: "db" },
      },
    },
    {
      name: "exec on the release task: run instead",
      verb: "exec",
      service: "release",
      expected: { code: "E_USAGE", message: "release is the release task: no container of it keeps running; start one for the command", hint: { action: "one-off-instead", verb: "run", service: "release" } },
    },
  ] as const)("refuses $name", ({ verb, service: name, expected }) => {
    expect(refusal(verb, name)).toEqual(expected);
  });
});

describe("oneOffArgs", () => {
  it.each<{ name: string; input: OneOffCommand; expected: string[] }>([
    {
      name: "run without a terminal, its variables named, the command word for word",
      input: { verb: "run", service: "web", command: ["sh", "-c", "echo $GREETING; rm -rf /tmp/x"], tty: false, variables: ["GREETING", "SECRET_KEY"] },
      expected: ["run", "--rm", "--no-deps", "-T", "--label", "slipway.one-off=true", "-e", "GREETING", "-e", "SECRET_KEY", "web", "sh", "-c", "echo $GREETING; rm -rf /tmp/x"],
    },
    {
      name: "run with a terminal and the service's own command",
      input: { verb: "run", service: "web", command: [], tty: true },
      expected: ["run", "--rm", "--no-deps", "--label", "slipway.one-off=true", "web"],
    },
    { name: "exec with a terminal", input: { verb: "exec", service: "db", command: ["psql", "-U", "app"], tty: true }, expected: ["exec", "db", "psql", "-U", "app"] },
    { name: "exec without a terminal, a command that starts with a dash", input: { verb: "exec", service: "db", command: ["--version"], tty: false }, expected: ["exec", "-T", "db", "--version"] },
  ])("$name", ({ input, expected }) => {
    expect(oneOffArgs(input)).toEqual(expected);
  });
});

describe("serviceVariables", () => {
  it("takes the values as containers get them: $$ unescaped, unset names left out", () => {
    expect(serviceVariables({ A: "x$$y", B: null, C: "" })).toEqual({ A: "x$y", C: "" });
    expect(serviceVariables(undefined)).toEqual({});
  });
});
