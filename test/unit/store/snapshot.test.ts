import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, Store } from "../../../src/store/store.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

function file(path: string): FileBody {
  const content = Buffer.from(path);
  return { path, content, sha: gitBlobSha(content), size: content.length };
}

describe("MirrorStore.snapshot (embedded)", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    await opened.mirror.upsertRepo(
      { id: 7, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    const paths = ["a.md", "d/1.md", "d/2.secret", "d/3.secret", "d/4.md", "d/5.md", "e.md"];
    await opened.mirror.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: paths.map(file), deletes: [] });
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  const paths = (files: { path: string }[]) => files.map((entry) => entry.path);

  it("pairs a page under a prefix with the commit it belongs to, and says whether more follow", async () => {
    const first = await opened.mirror.snapshot(7, { prefix: "d/", after: undefined, limit: 2 });
    expect(first).toMatchObject({ sha: "1".repeat(40), more: true });
    expect(paths(first!.files)).toEqual(["d/1.md", "d/2.secret"]);
    const last = await opened.mirror.snapshot(7, { prefix: "d/", after: "d/3.secret", limit: 2 });
    expect(last).toMatchObject({ more: false });
    expect(paths(last!.files)).toEqual(["d/4.md", "d/5.md"]);
  });

  it("fills the page past the files it may not show", async () => {
    const accepts = (path: string) => !path.endsWith(".secret");
    const page = await opened.mirror.snapshot(7, { prefix: "d/", after: undefined, limit: 2, accepts });
    expect(paths(page!.files)).toEqual(["d/1.md", "d/4.md"]);
    expect(page!.more).toBe(true);
    const rest = await opened.mirror.snapshot(7, { prefix: "d/", after: "d/4.md", limit: 2, accepts });
    expect(rest).toMatchObject({ more: false });
    expect(paths(rest!.files)).toEqual(["d/5.md"]);
  });

  it("answers an empty page, and null for a repository it does not mirror", async () => {
    expect(await opened.mirror.snapshot(7, { prefix: "", after: undefined, limit: 0 })).toEqual({
      sha: "1".repeat(40),
      files: [],
      more: false,
    });
    expect(await opened.mirror.snapshot(8, { prefix: "", after: undefined, limit: 10 })).toBeNull();
  });
});
