import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VariableVersionConflict, type Store } from "../store/store.js";
import { createSealer, keyMaterial } from "./cipher.js";
import { changeVariables, readVariables } from "./variables-store.js";
import { storeKinds } from "../store/testing/store-kinds.js";

const where = { environment: "live", keyFile: "/home/.slipway/master.key" };
const sealer = createSealer(keyMaterial("k".repeat(32), "test"), "test");

describe.each(storeKinds())("an environment's variables in the store ($name)", (kind) => {
  let store: Store;
  let environmentId: number;
  beforeEach(async () => {
    store = await kind.open();
    environmentId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "live");
  });
  afterEach(() => store[Symbol.asyncDispose]());

  const change = (body: { set?: Record<string, string>; unset?: string[] }) => changeVariables(store, environmentId, sealer, { ...body, actor: "ann", ...where });

  it("none at first, without needing a key", async () => {
    expect(await readVariables(store, environmentId, undefined, where)).toEqual({ version: null, values: {} });
  });

  it("each change is a new version; an earlier version stays readable", async () => {
    expect((await change({ set: { A: "1", B: "2" } })).version).toBe(1);
    expect(await change({ set: { A: "3" }, unset: ["B"] })).toEqual({ version: 2, changes: { set: ["A"], unset: ["B"] } });
    expect((await readVariables(store, environmentId, sealer, where)).values).toEqual({ A: "3" });
    expect((await readVariables(store, environmentId, sealer, where, 1)).values).toEqual({ A: "1", B: "2" });
    const history = await store.variableHistory(environmentId);
    expect(history.map((h) => [h.version, h.actor, h.changes])).toEqual([
      [2, "ann", { set: ["A"], unset: ["B"] }],
      [1, "ann", { set: ["A", "B"], unset: [] }],
    ]);
  });

  it("a change that changes nothing records no version", async () => {
    await change({ set: { A: "1" } });
    expect(await change({ set: { A: "1" }, unset: ["NOPE"] })).toEqual({ version: 1, changes: { set: [], unset: [] } });
  });

  it("a version is written only on top of the one it was read from", async () => {
    await change({ set: { A: "1" } });
    const stale = { environmentId, base: null, actor: "bob", changes: { set: ["B"], unset: [] }, sealed: sealer.seal("{}") };
    await expect(store.saveVariableVersion(stale)).rejects.toBeInstanceOf(VariableVersionConflict);
    expect((await store.variableHistory(environmentId)).map((h) => h.version)).toEqual([1]);
  });

  it("values are sealed at rest", async () => {
    await change({ set: { TOKEN: "very-secret-token" } });
    const rows = await store.db.selectFrom("variable_versions").select("sealed").execute();
    expect(JSON.stringify(rows)).not.toContain("very-secret-token");
  });

  it("no key, or a wrong one: an E_SECRET_KEY error that says what to do", async () => {
    await change({ set: { A: "1" } });
    await expect(readVariables(store, environmentId, undefined, where)).rejects.toMatchObject({ code: "E_SECRET_KEY" });
    await expect(readVariables(store, environmentId, undefined, where)).rejects.toThrow(/set SLIPWAY_MASTER_KEY, or restore the key file/);
    const wrong = createSealer(keyMaterial("w".repeat(32), "SLIPWAY_MASTER_KEY"), "SLIPWAY_MASTER_KEY");
    await expect(readVariables(store, environmentId, wrong, where)).rejects.toMatchObject({ code: "E_SECRET_KEY" });
  });

  it("re-sealing is all or nothing", async () => {
    await change({ set: { A: "1" } });
    await change({ set: { B: "2" } });
    const before = await store.db.selectFrom("variable_versions").select("sealed").orderBy("id").execute();
    let calls = 0;
    await expect(
      store.reseal(() => {
        if (++calls === 2) throw new Error("boom");
        return { sealed: "replaced" };
      }),
    ).rejects.toThrow("boom");
    expect(await store.db.selectFrom("variable_versions").select("sealed").orderBy("id").execute()).toEqual(before);
  });
});
