import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import type { NewWrite, WriteStore } from "../../../src/store/write-store.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1024 * 1024 };
const A = { owner: "process-a", leaseMs: 1000 };
const B = { owner: "process-b", leaseMs: 1000 };
let counter = 0;

function newWrite(path: string): NewWrite {
  counter += 1;
  const content = Buffer.from(`${counter}`);
  return {
    id: `W${String(counter).padStart(25, "0")}`,
    repoId: 7,
    branch: "main",
    collection: "likes",
    recordId: path,
    path,
    op: "put",
    user: "alice",
    actor: "key",
    content,
    sha: gitBlobSha(content),
    acceptedAt: counter,
  };
}

// Claims every backend honours run in the contract suite (test/contract/write-store.contract.test.ts); here, the embedded store's own.
describe("claims on the embedded store", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let mirror: MirrorStore;
  let writes: WriteStore;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    await mirror.upsertRepo(
      { id: 7, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    await writes.enqueue(newWrite("d/a.json"), {}, 0);
    await writes.enqueue(newWrite("d/b.json"), {}, 0);
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("releases the claims of an earlier run when reopened: the data folder is one process's", async () => {
    await writes.claimBatch(7, A, { ...limits, maxWrites: 1 }, "B1", 0);
    await opened.close();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    expect(await writes.claimBatch(7, B, limits, "B2", 1)).toMatchObject({ id: "B1", owner: B.owner });
  });
});
