import { describe, expect, it } from "vitest";
import { accessoryDrift, plannedAccessory, runningAccessory, type CreatedContainer, type ImageDefaults } from "./accessory-drift.js";

const BUSYBOX: ImageDefaults = { id: "sha256:b1", env: ["PATH=/usr/bin:/bin"], command: ["sh"] };
const VOLUMES = { dbdata: { name: "shop-live_dbdata", external: true } };

/** The planned db of the example, changed by `change`. */
function planned(change: Record<string, unknown> = {}, variables: Record<string, string> = { POSTGRES_PASSWORD: "pw" }, image: ImageDefaults = BUSYBOX) {
  const service = { image: "busybox", command: ["httpd", "-f"], volumes: [{ type: "volume", source: "dbdata", target: "/var/lib/db", volume: {} }], ...change };
  return plannedAccessory({ service, volumes: VOLUMES, variables, image, defaultImage: "shop-live-accessories-db" });
}

/** The db as the engine describes it when created from the planned file above. */
function running(change: Partial<CreatedContainer> = {}) {
  return runningAccessory({
    image: "busybox",
    imageId: "sha256:b1",
    entrypoint: [],
    command: ["httpd", "-f"],
    env: ["PATH=/usr/bin:/bin", "POSTGRES_PASSWORD=pw"],
    mounts: [{ type: "volume", source: "shop-live_dbdata", target: "/var/lib/db" }],
    ...change,
  });
}

describe("accessoryDrift", () => {
  it.each([
    { name: "what runs matches the files", planned: planned(), running: running(), drift: [] },
    { name: "another spelling of the same image", planned: planned({ image: "docker.io/library/busybox:latest" }), running: running(), drift: [] },
    {
      name: "another image",
      planned: planned({ image: "busybox:1.37" }),
      running: running(),
      drift: ["image: runs busybox, the compose files say busybox:1.37"],
    },
    {
      name: "the same reference naming a newer image",
      planned: planned({}, undefined, { ...BUSYBOX, id: "sha256:b2" }),
      running: running(),
      drift: ["image: busybox names another image now than the one it runs (pulled or built since)"],
    },
    { name: "no image on this machine yet: only the reference compares", planned: planned({}, undefined, { env: BUSYBOX.env, command: BUSYBOX.command }), running: running(), drift: [] },
    {
      name: "another command",
      planned: planned({ command: ["httpd", "-f", "-v"] }),
      running: running(),
      drift: ['command: runs ["httpd","-f"], the compose files say ["httpd","-f","-v"]'],
    },
    { name: "no command: the image's own", planned: planned({ command: undefined }), running: running({ command: ["sh"] }), drift: [] },
    {
      name: "an entrypoint without a command drops the image's command",
      planned: planned({ command: undefined, entrypoint: ["/init"] }),
      running: running({ command: ["sh"] }),
      drift: ['entrypoint: runs [], the compose files say ["/init"]', 'command: runs ["sh"], the compose files say []'],
    },
    {
      name: "variables changed, added and removed: names only, never values",
      planned: planned({}, { POSTGRES_PASSWORD: "new-secret", POSTGRES_DB: "app" }),
      running: running({ env: ["PATH=/usr/bin:/bin", "POSTGRES_PASSWORD=old-secret", "POSTGRES_USER=app"] }),
      drift: ["environment: POSTGRES_PASSWORD changed; POSTGRES_DB added; POSTGRES_USER removed"],
    },
    {
      name: "a service's variable over the image's own of the same name",
      planned: planned({}, { POSTGRES_PASSWORD: "pw", PATH: "/opt/db/bin" }),
      running: running({ env: ["PATH=/opt/db/bin", "POSTGRES_PASSWORD=pw"] }),
      drift: [],
    },
    {
      name: "volumes: another volume, a new mount, one no longer there; anonymous ones ignored",
      planned: planned({
        volumes: [
          { type: "volume", source: "other", target: "/var/lib/db" },
          { type: "bind", source: "/srv/conf", target: "/etc/db" },
          { type: "volume", target: "/scratch" },
        ],
      }),
      running: running({
        mounts: [
          { type: "volume", source: "shop-live_dbdata", target: "/var/lib/db" },
          { type: "bind", source: "/srv/old", target: "/old" },
          { type: "volume", source: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", target: "/image-volume" },
        ],
      }),
      drift: ["volumes: /etc/db would mount /srv/conf; /old (/srv/old) is no longer in the compose files; /var/lib/db mounts shop-live_dbdata, the compose files say other"],
    },
    {
      name: "a service without image: compose's own name for it",
      planned: plannedAccessory({ service: { build: { context: "." }, command: ["httpd", "-f"] }, volumes: {}, variables: {}, image: undefined, defaultImage: "shop-live-accessories-db" }),
      running: runningAccessory({ image: "shop-live-accessories-db", imageId: "sha256:x", entrypoint: [], command: ["httpd", "-f"], env: [], mounts: [] }),
      drift: [],
    },
  ])("$name", ({ planned: want, running: have, drift }) => {
    expect(accessoryDrift(want, have)).toEqual(drift);
  });
});
