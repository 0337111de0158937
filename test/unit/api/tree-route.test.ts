import type { JsonValue, RouteContext } from "../../../src/api/api-types.js";
import { MAX_TREE_PAGE, treePrefix, treeRoutes } from "../../../src/api/routes/tree.js";
import type { ApiConfig } from "../../../src/config/api-config.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { BadRequestError } from "../../../src/errors.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, MirrorStore, Store } from "../../../src/store/store.js";
import { captureLog } from "../../helpers/capture-log.js";
import { inProcessApi } from "../../helpers/in-process-api.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

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
    const opened = openSqliteStore(temp.dir);
    const store = opened.mirror;
    try {
      await store.upsertRepo(
        { id: 1, owner: "o", name: "r", private: false, defaultBranch: "main", installationId: 1 },
        { branch: "main", config: DEFAULT_REPO_CONFIG },
      );
      await store.applyChanges(1, { fromSha: null, toSha: "1".repeat(40), upserts: [file("old.md")], deletes: [] });
      let syncs = 0;
      // The real store, with a push applied after the route looked the repository up (at the old commit), before it listed.
      const racing = new Proxy(store, {
        get(target, name) {
          // Bound to the store itself: its methods use private fields a proxy does not have.
          if (name !== "snapshot") return (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target);
          return async (...args: Parameters<MirrorStore["snapshot"]>) => {
            if (syncs++ === 0)
              await target.applyChanges(1, {
                fromSha: "1".repeat(40),
                toSha: "2".repeat(40),
                upserts: [file("new.md")],
                deletes: ["old.md"],
              });
            return target.snapshot(...args);
          };
        },
      }) as MirrorStore;
      const [route] = treeRoutes;
      const context: RouteContext = {
        request: { method: "GET", path: "/v1/repos/o/r/tree", query: "", headers: {} },
        params: { owner: "o", repo: "r" },
        query: new Map(),
        access: { key: false },
        deps: { store: racing, config: {} as ApiConfig, log: captureLog().log, records: createRecordReads({ store: racing }) },
        body: async () => Buffer.alloc(0),
      };
      const response = await route!.handle(context);
      expect(response.body).toEqual({ sha: "2".repeat(40), files: [{ path: "new.md", sha: file("new.md").sha, size: 6 }], cursor: null });
      expect(syncs).toBe(1);
    } finally {
      await opened.close();
      temp.cleanup();
    }
  });
});

describe("tree pages", () => {
  type Page = { sha: string; files: { path: string }[]; cursor: string | null };
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  // In byte order, as git and SQLite sort: "z" before "ü" before an astral character.
  const paths = [".github/gitdisk.yml", "a.md", "content/x.md", "content/y.md", "content/z/1.md", "notes/s.md", "z.md", "ü.md", "𝄞.md"];
  const route = (query: string, headers: Record<string, string> = {}) =>
    inProcessApi({
      store,
      config: { apiKey: "k".repeat(32) } as ApiConfig,
      log: captureLog().log,
      records: createRecordReads({ store }),
    }).route({
      method: "GET",
      path: "/v1/repos/o/r/tree",
      query,
      headers,
    });
  async function allPages(query: string, headers: Record<string, string> = {}): Promise<{ pages: Page[]; paths: string[] }> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const response = await route(query + (cursor ? `&cursor=${cursor}` : ""), headers);
      expect(response.status).toBe(200);
      pages.push(response.body as Page);
      cursor = pages.at(-1)!.cursor;
    } while (cursor && pages.length < 100);
    return { pages, paths: pages.flatMap((page) => page.files.map((f) => f.path)) };
  }

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    const config = { ...DEFAULT_REPO_CONFIG, api: { ...DEFAULT_REPO_CONFIG.api, public: ["content/**"] } };
    await store.upsertRepo(
      { id: 1, owner: "o", name: "r", private: true, defaultBranch: "main", installationId: 1 },
      { branch: "main", config },
    );
    await store.applyChanges(1, { fromSha: null, toSha: "1".repeat(40), upserts: paths.map(file), deletes: [] });
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("concatenate to the whole listing, each page naming the commit, in any page size", async () => {
    const whole = (await route("", { authorization: `Bearer ${"k".repeat(32)}` })).body as Page;
    expect(whole.files.map((f) => f.path)).toEqual(paths);
    expect(whole.cursor).toBeNull();
    for (const limit of [1, 2, 4, 8, 9]) {
      const { pages, paths: listed } = await allPages(`limit=${limit}`, { authorization: `Bearer ${"k".repeat(32)}` });
      expect(listed).toEqual(paths);
      expect(pages).toHaveLength(Math.ceil(paths.length / limit));
      expect(pages.every((page) => page.sha === "1".repeat(40) && page.files.length <= limit)).toBe(true);
    }
  });

  it("page only what the caller may read, within the prefix", async () => {
    const anonymous = await allPages("limit=1");
    expect(anonymous.paths).toEqual(["content/x.md", "content/y.md", "content/z/1.md"]);
    expect(anonymous.pages).toHaveLength(3);
    const folder = await allPages("limit=1&prefix=content/z/");
    expect(folder.paths).toEqual(["content/z/1.md"]);
  });

  it("refuse a cursor once the mirror moved on, rather than mixing two commits", async () => {
    const first = (await route("limit=2", { authorization: `Bearer ${"k".repeat(32)}` })).body as Page;
    await store.applyChanges(1, { fromSha: "1".repeat(40), toSha: "2".repeat(40), upserts: [file("b.md")], deletes: [] });
    const next = await route(`limit=2&cursor=${first.cursor}`, { authorization: `Bearer ${"k".repeat(32)}` });
    expect(next.status).toBe(409);
    expect((next.body as { error: { message: string } }).error.message).toMatch(/list again without a cursor/);
  });

  it.each([
    "limit=-1",
    "limit=1.5",
    "limit=x",
    `limit=${MAX_TREE_PAGE + 1}`,
    "cursor=nonsense",
    "cursor=YWJj",
    `cursor=${Buffer.from(":a.md").toString("base64url")}`,
  ])("answer %s with 400", async (query) => {
    const response = await route(query);
    expect(response.status).toBe(400);
    expect((response.body as { error: JsonValue }).error).toMatchObject({ code: "bad_request" });
  });
});
