import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { createStore } from "../../../src/store/create-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import { RepoTasks } from "../../../src/sync/repo-tasks.js";
import { SyncError } from "../../../src/sync/sync-error.js";
import { captureLog } from "../../helpers/capture-log.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

describe("RepoTasks", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  const now = () => new Date("2026-01-01T00:00:00.000Z");
  const { log, lines } = captureLog();

  beforeEach(async () => {
    temp = makeTempDir();
    opened = createStore({ dataDir: temp.dir, databaseUrl: undefined });
    store = opened.mirror;
    await store.upsertRepo(
      { id: 1, owner: "o", name: "r", private: false, defaultBranch: "main", installationId: 1 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("records lastSyncAt and clears lastError after a sync", async () => {
    await store.updateRepo(1, { lastError: "old failure" });
    await new RepoTasks(store, now).run(1, log, async () => "applied");
    expect(await store.getRepo(1)).toMatchObject({ lastSyncAt: "2026-01-01T00:00:00.000Z", lastError: null });
  });

  it("keeps the reason a missing branch recorded, and records nothing for work that is not a sync", async () => {
    const tasks = new RepoTasks(store, now);
    await store.updateRepo(1, { lastError: 'branch "main" does not exist on GitHub' });
    await tasks.run(1, log, async () => "branch-missing");
    expect(await store.getRepo(1)).toMatchObject({
      lastSyncAt: "2026-01-01T00:00:00.000Z",
      lastError: 'branch "main" does not exist on GitHub',
    });
    await store.updateRepo(1, { lastSyncAt: "earlier" });
    await tasks.run(1, log, async () => null);
    expect((await store.getRepo(1))?.lastSyncAt).toBe("earlier");
  });

  it("logs and records a failure instead of throwing; GitHub's status is named, its message only logged", async () => {
    const tasks = new RepoTasks(store, now);
    const internal = "Service Unavailable - https://ghe.internal.example/api/v3/repos/octo/site";
    await tasks.run(1, log, async () => {
      throw Object.assign(new Error(internal), { status: 503, response: { status: 503 } });
    });
    expect((await store.getRepo(1))?.lastError).toBe("GitHub answered 503 Service Unavailable");
    await tasks.run(1, log, async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND ghe.internal.example"), { status: 500 });
    });
    expect((await store.getRepo(1))?.lastError).toBe("GitHub could not be reached; the server log has the details");
    await tasks.run(1, log, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'sha')");
    });
    expect((await store.getRepo(1))?.lastError).toBe("the sync failed unexpectedly; the server log has the details");
    expect(lines.filter((line) => line.level === 50).map((line) => (line.err as { message: string }).message)).toEqual([
      internal,
      "getaddrinfo ENOTFOUND ghe.internal.example",
      "Cannot read properties of undefined (reading 'sha')",
    ]);
    await tasks.run(1, log, async () => {
      throw new SyncError("the branch kept moving");
    });
    expect((await store.getRepo(1))?.lastError).toBe("the branch kept moving");
  });

  it("drops work after stop(), which waits for running work", async () => {
    const tasks = new RepoTasks(store, now);
    let finished = false;
    const running = tasks.run(1, log, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
      return "applied";
    });
    await tasks.stop();
    expect(finished).toBe(true);
    let ran = false;
    await tasks.run(1, log, async () => {
      ran = true;
      return null;
    });
    expect(ran).toBe(false);
    await running;
  });
});
