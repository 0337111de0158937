import type { KeyStore } from "../../src/store/key-store.js";
import { STORE_BACKENDS, storePerTest } from "./store-backends.js";

const hash = (n: number) => n.toString(16).padStart(64, "0");

describe.each(STORE_BACKENDS)("KeyStore contract: %s", (_name, makeBackend) => {
  const stores = storePerTest(makeBackend);
  let keys: KeyStore;

  beforeEach(() => {
    keys = stores.current.keys;
  });

  it("lists a repository's keys oldest first, without their hashes, and no other repository's", async () => {
    await keys.createKey({ repoId: 7, id: "k2", name: "build", hash: hash(2), createdAt: 2000 });
    await keys.createKey({ repoId: 7, id: "k1", name: "server", hash: hash(1), createdAt: 1000 });
    await keys.createKey({ repoId: 8, id: "k3", name: "other", hash: hash(3), createdAt: 500 });

    expect(await keys.listKeys(7)).toEqual([
      { id: "k1", name: "server", createdAt: 1000, lastUsedAt: null },
      { id: "k2", name: "build", createdAt: 2000, lastUsedAt: null },
    ]);
    expect(await keys.listKeys(8)).toEqual([{ id: "k3", name: "other", createdAt: 500, lastUsedAt: null }]);
    expect(await keys.listKeys(9)).toEqual([]);
  });

  it("finds a live key by its hash, and nothing once it is revoked", async () => {
    await keys.createKey({ repoId: 7, id: "k1", name: "server", hash: hash(1), createdAt: 1000 });
    expect(await keys.findKeyByHash(hash(1))).toEqual({ id: "k1", repoId: 7 });
    expect(await keys.findKeyByHash(hash(2))).toBeNull();

    expect(await keys.revokeKey(8, "k1")).toBe(false);
    expect(await keys.findKeyByHash(hash(1))).toEqual({ id: "k1", repoId: 7 });
    expect(await keys.revokeKey(7, "k1")).toBe(true);
    expect(await keys.revokeKey(7, "k1")).toBe(false);
    expect(await keys.findKeyByHash(hash(1))).toBeNull();
    expect(await keys.listKeys(7)).toEqual([]);
  });

  it("records the last use at most once a minute", async () => {
    await keys.createKey({ repoId: 7, id: "k1", name: "server", hash: hash(1), createdAt: 1000 });
    await keys.touchKey("k1", 10_000);
    await keys.touchKey("k1", 40_000);
    expect((await keys.listKeys(7))[0]?.lastUsedAt).toBe(10_000);
    await keys.touchKey("k1", 70_000);
    expect((await keys.listKeys(7))[0]?.lastUsedAt).toBe(70_000);
  });

  it("keeps keys across a restart", async () => {
    await keys.createKey({ repoId: 7, id: "k1", name: "server", hash: hash(1), createdAt: 1000 });
    keys = (await stores.reopen()).keys;
    expect(await keys.findKeyByHash(hash(1))).toEqual({ id: "k1", repoId: 7 });
  });
});
