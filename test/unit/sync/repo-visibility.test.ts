import { pino } from "pino";
import type { Logger } from "probot";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import { RepoVisibility } from "../../../src/sync/repo-visibility.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const log = pino({ level: "silent" }) as unknown as Logger;

describe("RepoVisibility", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  let visibility: RepoVisibility;
  const isPrivate = async () => (await store.getRepo(7))?.private;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    await store.upsertRepo(
      { id: 7, owner: "o", name: "r", private: false, defaultBranch: "main", installationId: 1 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    visibility = new RepoVisibility(store);
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("closes at once and opens on GitHub's answer", async () => {
    await visibility.close(7, log, "test");
    expect(await isPrivate()).toBe(true);
    await visibility.settle(7, visibility.ticket(7), false, log);
    expect(await isPrivate()).toBe(false);
  });

  it("does not open on an answer asked for before a close that arrived while it was on its way", async () => {
    await store.updateRepo(7, { private: true });
    const ticket = visibility.ticket(7);
    await visibility.close(7, log, "a privatized delivery");
    await visibility.settle(7, ticket, false, log);
    expect(await isPrivate()).toBe(true);
    // A stale answer may still close: closing is always safe.
    await store.updateRepo(7, { private: false });
    await visibility.settle(7, ticket, true, log);
    expect(await isPrivate()).toBe(true);
  });
});
