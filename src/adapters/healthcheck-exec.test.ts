/** The argv Docker would run for each form of HEALTHCHECK test. */
import { describe, expect, it } from "vitest";
import { healthcheckArgv } from "./healthcheck-exec.js";

describe("healthcheckArgv", () => {
  it.each([
    { name: "CMD runs its words as they are", test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"], shell: undefined, argv: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"] },
    { name: "CMD-SHELL runs through /bin/sh -c", test: ["CMD-SHELL", "curl -f localhost || exit 1"], shell: undefined, argv: ["/bin/sh", "-c", "curl -f localhost || exit 1"] },
    { name: "CMD-SHELL runs through the image's SHELL when it sets one", test: ["CMD-SHELL", "true"], shell: ["/bin/ash", "-eo", "pipefail", "-c"], argv: ["/bin/ash", "-eo", "pipefail", "-c", "true"] },
    { name: "NONE disables the check", test: ["NONE"], shell: undefined, argv: undefined },
    { name: "no test at all", test: undefined, shell: undefined, argv: undefined },
    { name: "CMD without a command", test: ["CMD"], shell: undefined, argv: undefined },
  ])("$name", ({ test, shell, argv }) => {
    expect(healthcheckArgv(test, shell)).toEqual(argv);
  });
});
