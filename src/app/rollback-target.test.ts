import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import type { ReleaseWithDeployment } from "../store/store.js";
import { chooseTarget } from "./rollback-target.js";

const release = (number: number, status: ReleaseWithDeployment["status"]): ReleaseWithDeployment => ({
  id: number * 10,
  environmentId: 1,
  number,
  buildId: number,
  kind: "deploy",
  config: {},
  images: {},
  status,
  createdAt: new Date(0),
  commit: `c${number}`,
  tag: `t${number}`,
});

// Newest first, as the store returns them.
const history = [release(6, "failed"), release(5, "live"), release(4, "failed"), release(3, "superseded"), release(2, "retired"), release(1, "retired")];

describe("chooseTarget", () => {
  it.each([
    { name: "the last release before the live one that went live", requested: undefined, expected: 3 },
    { name: "a named release", requested: "v2", expected: 2 },
    { name: "a number without v", requested: "1", expected: 1 },
  ])("$name", ({ requested, expected }) => {
    expect(chooseTarget(history, requested, "production").number).toBe(expected);
  });

  it.each([
    { name: "nothing live", releases: [release(1, "failed")], requested: undefined, code: "E_NOT_FOUND", message: /nothing is live in production/ },
    { name: "no earlier release", releases: [release(1, "live")], requested: undefined, code: "E_NOT_FOUND", message: /v1 is the first release of production/ },
    { name: "an unknown release", releases: history, requested: "v9", code: "E_NOT_FOUND", message: /production has no release v9/ },
    { name: "the live release", releases: history, requested: "v5", code: "E_USAGE", message: /v5 is already live/ },
    { name: "a failed release", releases: history, requested: "v4", code: "E_NOT_FOUND", message: /v4 never went live \(its deployment failed\)/ },
  ])("refuses $name", ({ releases, requested, code, message }) => {
    let caught: unknown;
    try {
      chooseTarget(releases, requested, "production");
    } catch (error) {
      caught = error;
    }
    expect(isSlipwayError(caught) && caught.code).toBe(code);
    expect((caught as Error).message).toMatch(message);
  });
});
