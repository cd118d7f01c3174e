import { describe, expect, it } from "vitest";
import { pullErrors } from "./accessory-images.js";

describe("pullErrors", () => {
  it.each([
    {
      name: "one line per failed service, the daemon's summary ignored",
      output: [
        " db Pulling ",
        " cache Pulling ",
        ' cache Error Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
        " db Error pull access denied for nope, repository does not exist or may require 'docker login'",
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
      ].join("\n"),
      services: ["db", "cache"],
      errors: [
        ["db", "pull access denied for nope, repository does not exist or may require 'docker login'"],
        ["cache", 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'],
      ],
    },
    { name: "a progress mark before the name", output: " ✘ db Error manifest unknown", services: ["db"], errors: [["db", "manifest unknown"]] },
    { name: "a service not asked for is not attributed", output: " other Error boom", services: ["db"], errors: [] },
    { name: "nothing failed", output: " db Pulled ", services: ["db"], errors: [] },
  ])("$name", ({ output, services, errors }) => {
    expect([...pullErrors(output, services)].sort()).toEqual([...errors].sort());
  });
});
