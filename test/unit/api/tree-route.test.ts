import type { RouteContext } from "../../../src/api/api-types.js";
import { treePrefix, treeRoutes } from "../../../src/api/routes/tree.js";
import type { GitdiskConfig } from "../../../src/config/env.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { BadRequestError } from "../../../src/errors.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { SqliteMirrorStore } from "../../../src/store/sqlite/sqlite-mirror-store.js";
import type { FileBody, MirrorStore } from "../../../src/store/store.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { captureLog } from "./capture-log.js";

function file(path: string): FileBody {
  const content = Buffer.from(path);
  return { path, content, sha: gitBlobSha(content), size: content.length };
}

describe("treePrefix", () => {
  it("accepts nothing, a path, or a folder ending with '/'", () => {
    expect(treePrefix(undefined)).toBe("");
    expect(treePrefix("")).toBe("");
    expect(treePrefix("dir/")).toBe("dir/");
    expect(treePrefix("dir/sub")).toBe("dir/sub");
  });

  it.each(["/", "dir//", "../x", "a/./b", "/abs", "a\u0000", ".git/"])("refuses %j", (prefix) => {
    expect(() => treePrefix(prefix)).toThrow(BadRequestError);
  });
});

describe("tree route", () => {
  it("pairs the listing with the commit it came from when a sync lands mid-request", async () => {
    const temp = makeTempDir();
    const store = new SqliteMirrorStore(openDatabase(temp.dir));
    try {
      await store.upsertRepo({ id: 1, owner: "o", name: "r", private: false, defaultBranch: "main", installationId: 1 }, { branch: "main", config: DEFAULT_REPO_CONFIG });
      await store.applyChanges(1, { fromSha: null, toSha: "1".repeat(40), upserts: [file("old.md")], deletes: [] });
      let syncs = 0;
      // The real store, with a push applied right after the first listing was taken.
      const racing = new Proxy(store, {
        get(target, name) {
          // Bound to the store itself: its methods use private fields a proxy does not have.
          if (name !== "listFiles") return (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target);
          return async (repoId: number, prefix?: string) => {
            const listing = await target.listFiles(repoId, prefix);
            if (syncs++ === 0) await target.applyChanges(1, { fromSha: "1".repeat(40), toSha: "2".repeat(40), upserts: [file("new.md")], deletes: ["old.md"] });
            return listing;
          };
        },
      }) as MirrorStore;
      const [route] = treeRoutes;
      const context: RouteContext = {
        request: { method: "GET", path: "/v1/repos/o/r/tree", query: "", headers: {} },
        params: { owner: "o", repo: "r" },
        query: new Map(),
        access: { key: false },
        deps: { store: racing, config: {} as GitdiskConfig, log: captureLog().log },
      };
      const response = await route!.handle(context);
      expect(response.body).toEqual({ sha: "2".repeat(40), files: [{ path: "new.md", sha: file("new.md").sha, size: 6 }] });
      expect(syncs).toBe(2);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});
