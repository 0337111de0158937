import { request as httpRequest } from "node:http";
import { Probot, Server } from "probot";
import { createApiHandler } from "../../../src/api/create-api-handler.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, MirrorStore, RepoIdentity, Store } from "../../../src/store/store.js";
import { captureLog, DEBUG } from "../../helpers/capture-log.js";
import { freePort } from "../../helpers/free-port.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { testConfig } from "../../helpers/test-config.js";

const API_KEY = "test-site-key-0123456789";
const MAX_BODY_BYTES = 4096;
const PUBLIC_SHA = "1".repeat(40);
const PRIVATE_SHA = "2".repeat(40);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

function file(path: string, content: string | Buffer): FileBody {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { path, content: bytes, sha: gitBlobSha(bytes), size: bytes.length };
}

const publicFiles = [
  file("content/post.md", "# Hello\n"),
  file("data/users/ann.json", '{"name":"Ann"}'),
  file("dir/a", "a"),
  file("dirt", "dirt"),
  file("img/logo.png", PNG),
  file("sp ace/ü.md", "unicode"),
  file("page.html", "<script>fetch('/v1/repos/octo/site/status')</script>"),
  file("icon.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  file(".github/gitdisk.yml", "api:\n  public: []\n"),
];
const privateFiles = [
  file("content/open.md", "open"),
  file("content/.github/x.md", "nested dot-github is an ordinary folder"),
  file("notes/secret.md", "secret"),
  file(".github/gitdisk.yml", "api:\n  public: [content/**]\n"),
];

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe("read API over HTTP", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  let server: Server;
  let base: string;
  let port: number;
  const captured = captureLog();

  async function seed(identity: RepoIdentity, config: RepoConfig, sha: string, files: FileBody[]): Promise<void> {
    await store.upsertRepo(identity, { branch: "main", config });
    await store.applyChanges(identity.id, { fromSha: null, toSha: sha, upserts: files, deletes: [] });
  }

  beforeAll(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    const repo = { defaultBranch: "main", installationId: 42 };
    await seed({ id: 1, owner: "Octo", name: "Site", private: false, ...repo }, DEFAULT_REPO_CONFIG, PUBLIC_SHA, publicFiles);
    await seed(
      { id: 2, owner: "octo", name: "secret", private: true, ...repo },
      { ...DEFAULT_REPO_CONFIG, api: { ...DEFAULT_REPO_CONFIG.api, public: ["content/**"] } },
      PRIVATE_SHA,
      privateFiles,
    );
    await seed({ id: 3, owner: "octo", name: "closed", private: true, ...repo }, DEFAULT_REPO_CONFIG, "3".repeat(40), [
      file("index.html", "<p>"),
    ]);
    await store.updateRepo(1, { lastSyncAt: "2026-01-02T03:04:05.000Z", configError: "mirror.include must be a list" });

    const config = testConfig({ apiKey: API_KEY, maxBodyBytes: MAX_BODY_BYTES });
    port = await freePort();
    server = new Server({
      port,
      host: "127.0.0.1",
      log: captured.log.child({ name: "server" }, { level: "silent" }),
      Probot: Probot.defaults({ githubToken: "unused", secret: "webhook-secret" }),
    });
    await server.load((_app, { addHandler }) =>
      addHandler(createApiHandler({ store, config, log: captured.log, records: createRecordReads({ store }) })),
    );
    await server.start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.stop();
    await opened.close();
    temp.cleanup();
  });

  beforeEach(() => {
    captured.lines.length = 0;
  });

  const keyed = { authorization: `Bearer ${API_KEY}` };
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

  /** node:http rather than fetch: fetch would normalise `..`, `%2e` and backslashes away before sending. */
  function raw(
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: Buffer | Buffer[] } = {},
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      for (const chunk of [options.body ?? []].flat()) request.write(chunk);
      request.end();
    });
  }

  const errorOf = (response: RawResponse) => (JSON.parse(response.body.toString()) as { error: { code: string; message: string } }).error;

  describe("GET /v1/repos/{owner}/{repo}/files/{path}", () => {
    it("serves the raw bytes with a content type, the blob sha as ETag, no-cache and CORS", async () => {
      const response = await get("/v1/repos/Octo/Site/files/content/post.md");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("# Hello\n");
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "content-type": "text/markdown; charset=utf-8",
        etag: `"${gitBlobSha(Buffer.from("# Hello\n"))}"`,
        "cache-control": "no-cache",
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "ETag, Location, Allow, WWW-Authenticate",
        "x-content-type-options": "nosniff",
      });
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    });

    it("serves binary files byte for byte, and percent-encoded unicode paths", async () => {
      const png = await get("/v1/repos/octo/site/files/img/logo.png");
      expect(png.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await png.arrayBuffer())).toEqual(PNG);
      const unicode = await get(`/v1/repos/OCTO/SITE/files/${encodeURIComponent("sp ace")}/${encodeURIComponent("ü.md")}`);
      expect(await unicode.text()).toBe("unicode");
      expect(unicode.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
      expect((await get("/v1/repos/octo/site/files/dirt")).headers.get("content-type")).toBe("application/octet-stream");
    });

    it("serves a file as sandboxed content that runs no script on the API's origin, and has active types downloaded", async () => {
      const sandboxed = expect.stringMatching(/^default-src 'none';.*; sandbox$/);
      for (const [path, type] of [
        ["page.html", "text/html; charset=utf-8"],
        ["icon.svg", "image/svg+xml"],
      ]) {
        const response = await get(`/v1/repos/octo/site/files/${path}`);
        expect(Object.fromEntries(response.headers)).toMatchObject({
          "content-type": type,
          "content-security-policy": sandboxed,
          "x-content-type-options": "nosniff",
          "content-disposition": "attachment",
        });
      }
      const markdown = await get("/v1/repos/octo/site/files/content/post.md");
      expect(markdown.headers.get("content-security-policy")).toEqual(sandboxed);
      expect(markdown.headers.get("content-disposition")).toBeNull();
    });

    it("answers 304 without a body on a matching If-None-Match, and 200 otherwise", async () => {
      const sha = gitBlobSha(Buffer.from('{"name":"Ann"}'));
      const url = "/v1/repos/octo/site/files/data/users/ann.json";
      for (const header of [`"${sha}"`, `W/"${sha}"`, `"stale", "${sha}"`, "*"]) {
        const response = await get(url, { "if-none-match": header });
        expect(response.status).toBe(304);
        expect(response.headers.get("etag")).toBe(`"${sha}"`);
        expect(response.headers.get("access-control-allow-origin")).toBe("*");
        expect(await response.text()).toBe("");
      }
      const changed = await get(url, { "if-none-match": `"${"0".repeat(40)}"` });
      expect(changed.status).toBe(200);
      expect(await changed.json()).toEqual({ name: "Ann" });
    });

    it("answers 404 JSON for an absent file and an unknown repository, even with If-None-Match: *", async () => {
      for (const [path, message] of [
        ["/v1/repos/octo/site/files/missing.md", "missing.md is not in the mirror of Octo/Site"],
        ["/v1/repos/octo/nope/files/a.md", "repository octo/nope is not mirrored here"],
      ] as const) {
        const response = await get(path, { "if-none-match": "*" });
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(await response.json()).toEqual({ error: { code: "not_found", message } });
      }
    });

    it("answers HEAD like GET, with the length and no body", async () => {
      const response = await raw("/v1/repos/octo/site/files/content/post.md", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe("8");
      expect(response.headers.etag).toBe(`"${gitBlobSha(Buffer.from("# Hello\n"))}"`);
      expect(response.body.length).toBe(0);
    });
  });

  describe("GET /v1/repos/{owner}/{repo}/tree", () => {
    const entry = (f: FileBody) => ({ path: f.path, sha: f.sha, size: f.size });

    it("lists the mirrored commit and files sorted by path, .github only with the key", async () => {
      const anonymous = await get("/v1/repos/octo/site/tree");
      expect(anonymous.headers.get("access-control-allow-origin")).toBe("*");
      const visible = publicFiles.filter((f) => !f.path.startsWith(".github/")).map(entry);
      expect(await anonymous.json()).toEqual({ sha: PUBLIC_SHA, files: visible.sort((a, b) => (a.path < b.path ? -1 : 1)), cursor: null });
      const all = (await (await get("/v1/repos/octo/site/tree", keyed)).json()) as { files: { path: string }[] };
      expect(all.files.map((f) => f.path)).toEqual([
        ".github/gitdisk.yml",
        "content/post.md",
        "data/users/ann.json",
        "dir/a",
        "dirt",
        "icon.svg",
        "img/logo.png",
        "page.html",
        "sp ace/ü.md",
      ]);
    });

    it("filters by prefix: a folder with '/', or any path start without", async () => {
      const folder = (await (await get("/v1/repos/octo/site/tree?prefix=dir/")).json()) as { files: { path: string }[] };
      expect(folder.files.map((f) => f.path)).toEqual(["dir/a"]);
      const start = (await (await get("/v1/repos/octo/site/tree?prefix=dir")).json()) as { files: { path: string }[] };
      expect(start.files.map((f) => f.path)).toEqual(["dir/a", "dirt"]);
      const encoded = (await (await get("/v1/repos/octo/site/tree?prefix=sp%20ace%2F")).json()) as { files: { path: string }[] };
      expect(encoded.files.map((f) => f.path)).toEqual(["sp ace/ü.md"]);
      const hidden = (await (await get("/v1/repos/octo/site/tree?prefix=.github/")).json()) as { files: unknown[] };
      expect(hidden.files).toEqual([]);
    });

    it.each(["../x", "a/../b", "/", "a//", "%zz", "a%00b", "a\\b"])("refuses prefix %j with 400", async (prefix) => {
      const response = await raw(`/v1/repos/octo/site/tree?prefix=${prefix.replace("\\", "%5C")}`);
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("bad_request");
    });
  });

  describe("GET /v1/repos/{owner}/{repo}/status", () => {
    it("reports the mirror of a public repository without the key", async () => {
      const response = await get("/v1/repos/octo/site/status");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        owner: "Octo",
        repo: "Site",
        mirrored: true,
        branch: "main",
        sha: PUBLIC_SHA,
        files: publicFiles.length,
        private: false,
        lastSyncAt: "2026-01-02T03:04:05.000Z",
        lastError: null,
        configError: "mirror.include must be a list",
        skipped: 0,
        skippedFiles: [],
      });
    });

    it("lists the files the mirror left out, and names the problem ones in lastError", async () => {
      const closed = "3".repeat(40);
      const skipped = [
        { path: "huge.bin", sha: "a".repeat(40), reason: "over maxFileBytes (10)", cause: "file-too-big" as const },
        {
          path: "photo.bin",
          sha: "b".repeat(40),
          reason: "could not be fetched: GitHub answered 502 Bad Gateway",
          cause: "fetch-failed" as const,
        },
        {
          path: "more.bin",
          sha: "c".repeat(40),
          reason: "mirror limited to 100 bytes (GITDISK_MAX_REPO_BYTES)",
          cause: "repo-full" as const,
        },
      ];
      await store.applyChanges(3, { fromSha: closed, toSha: closed, upserts: [], deletes: [], skipped });
      try {
        expect(await (await get("/v1/repos/octo/closed/status", keyed)).json()).toMatchObject({
          lastError:
            "mirror limited to 100 bytes (GITDISK_MAX_REPO_BYTES): 1 files not mirrored; 1 files not mirrored, first photo.bin: could not be fetched: GitHub answered 502 Bad Gateway",
          skipped: 3,
          skippedFiles: skipped.map(({ path, reason }) => ({ path, reason })),
        });
      } finally {
        await store.applyChanges(3, { fromSha: closed, toSha: closed, upserts: [], deletes: [], skipped: [] });
      }
    });

    it("answers a private repository's only with the key, even when api.public opens paths of it", async () => {
      const anonymous = await raw("/v1/repos/octo/secret/status");
      expect(anonymous.status).toBe(404);
      expect(errorOf(anonymous)).toEqual({ code: "not_found", message: "repository octo/secret is not mirrored here" });
      expect(await (await get("/v1/repos/octo/secret/status", keyed)).json()).toMatchObject({ private: true, sha: PRIVATE_SHA, files: 4 });
    });
  });

  describe("who may read", () => {
    it("serves a private repository's api.public paths without the key, the rest only with it", async () => {
      expect((await get("/v1/repos/octo/secret/files/content/open.md")).status).toBe(200);
      expect((await get("/v1/repos/octo/secret/files/content/.github/x.md")).status).toBe(200);
      expect((await get("/v1/repos/octo/secret/files/notes/secret.md")).status).toBe(401);
      expect((await get("/v1/repos/octo/secret/files/notes/missing.md")).status).toBe(401);
      expect(await (await get("/v1/repos/octo/secret/files/notes/secret.md", keyed)).text()).toBe("secret");
    });

    it("checks access before revalidation, so a cached ETag cannot confirm a private file", async () => {
      const etag = `"${gitBlobSha(Buffer.from("secret"))}"`;
      expect((await get("/v1/repos/octo/secret/files/notes/secret.md", { "if-none-match": etag })).status).toBe(401);
      expect((await get("/v1/repos/octo/secret/files/notes/secret.md", { "if-none-match": etag, ...keyed })).status).toBe(304);
    });

    it("lists only the public-glob files of a private repository without the key", async () => {
      const anonymous = (await (await get("/v1/repos/octo/secret/tree")).json()) as { files: { path: string }[] };
      expect(anonymous.files.map((f) => f.path)).toEqual(["content/.github/x.md", "content/open.md"]);
      const closed = await get("/v1/repos/octo/closed/tree");
      expect([closed.status, await closed.json()]).toEqual([
        404,
        { error: { code: "not_found", message: "repository octo/closed is not mirrored here" } },
      ]);
      const all = (await (await get("/v1/repos/octo/secret/tree", keyed)).json()) as { files: unknown[] };
      expect(all.files).toHaveLength(4);
    });

    it("never serves .github/ without the key, even from a public repository", async () => {
      const response = await raw("/v1/repos/octo/site/files/.github/gitdisk.yml");
      expect(response.status).toBe(401);
      expect(errorOf(response)).toEqual({
        code: "unauthorized",
        message: expect.stringMatching(/^reading \.github\/gitdisk\.yml of Octo\/Site needs the API key/),
      });
      expect((await raw("/v1/repos/octo/site/files/.GITHUB/gitdisk.yml")).status).toBe(401);
      expect((await get("/v1/repos/octo/site/files/.github/gitdisk.yml", keyed)).status).toBe(200);
    });

    it("refuses a wrong or malformed key with 401, even where no key is needed", async () => {
      for (const authorization of ["Bearer wrong-key-wrong-key-wrong", `Bearer ${API_KEY}x`, `Basic ${API_KEY}`, API_KEY]) {
        const response = await raw("/v1/repos/octo/site/files/content/post.md", { headers: { authorization } });
        expect(response.status).toBe(401);
        expect(errorOf(response).code).toBe("unauthorized");
      }
    });
  });

  describe("CORS", () => {
    it("answers a preflight with 204, the methods and the request headers a page may send", async () => {
      const response = await fetch(`${base}/v1/repos/octo/site/files/content/post.md`, {
        method: "OPTIONS",
        headers: {
          origin: "https://site.example",
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
      expect(response.status).toBe(204);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
        "access-control-allow-headers": "Authorization, Content-Type, If-None-Match, If-Match, X-Gitdisk-User",
      });
    });
  });

  describe("bad input", () => {
    it.each([
      ["/v1/repos/octo/site/files/../secret", /'\.\.'/],
      ["/v1/repos/octo/site/files/a/./b", /'\.'/],
      ["/v1/repos/octo/site/files/%2e%2e/x", /'\.\.'/],
      ["/v1/repos/octo/site/files/a%2F..%2F..%2Fb", /'\.\.'/],
      ["/v1/repos/octo/site/files/a%00b", /control/],
      ["/v1/repos/octo/site/files/a%0Ab", /control/],
      ["/v1/repos/octo/site/files/a%zzb", /percent-encoding/],
      ["/v1/repos/octo/site/files/%E0%A4%A", /percent-encoding/],
      // @hono/node-server refuses a backslash in the path before the app sees it.
      ["/v1/repos/octo/site/files/a\\b", /Backslash in request path/],
      ["/v1/repos/octo/site/files/a%5Cb", /forward slashes/],
      ["/v1/repos/octo/site/files/dir/", /empty segment/],
      ["/v1/repos/octo/site/files/.git/config", /\.git/],
      ["/v1/repos/oc%20to/site/files/a.md", /not a valid repository owner/],
      ["/v1/repos/octo/../files/a.md", /not a valid repository name/],
    ])("refuses %s with a 400 JSON error", async (path, reason) => {
      const response = await raw(path);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toEqual({ code: "bad_request", message: expect.stringMatching(reason) });
      expect(captured.lines).toEqual([expect.objectContaining({ level: DEBUG, res: { statusCode: 400, code: "bad_request" } })]);
    });

    it("answers 414 for a URL over 8 KB", async () => {
      const response = await raw(`/v1/repos/octo/site/files/${"a/".repeat(4200)}x`);
      expect(response.status).toBe(414);
      expect(errorOf(response).code).toBe("uri_too_long");
    });

    it("answers 413 for a body declared over the limit, and closes the connection of a chunked one refused unread", async () => {
      const big = Buffer.alloc(MAX_BODY_BYTES + 1, "x");
      const declared = await fetch(`${base}/v1/repos/octo/site/files/a.md`, { method: "PUT", body: big });
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
      const chunks = [Buffer.alloc(MAX_BODY_BYTES / 2, "x"), Buffer.alloc(MAX_BODY_BYTES / 2, "y"), Buffer.from("z")];
      const chunked = await raw("/v1/repos/octo/site/files/a.md", {
        method: "POST",
        headers: { "transfer-encoding": "chunked" },
        body: chunks,
      });
      // Counted only when a route reads it: this path takes no POST, so its body is refused unread.
      expect(chunked.status).toBe(405);
      expect(chunked.headers.connection).toBe("close");
    });

    it("answers 405 with Allow for other methods, 404 JSON for unknown /v1 routes", async () => {
      const deleted = await raw("/v1/repos/octo/site/files/content/post.md", { method: "DELETE" });
      expect(deleted.status).toBe(405);
      expect(deleted.headers.allow).toBe("GET, HEAD, OPTIONS");
      const posted = await fetch(`${base}/v1/repos/octo/site/status`, { method: "POST", body: "{}" });
      expect(posted.status).toBe(405);
      const unknown = await get("/v1/repos/octo/site/nothing");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "no data API route /v1/repos/octo/site/nothing" } });
    });

    it("leaves other paths to Probot: webhooks, ping, its own 404", async () => {
      const webhook = await fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(webhook.status).toBe(400);
      expect(await webhook.text()).toMatch(/x-hub-signature-256/);
      expect(await (await get("/ping")).text()).toBe("PONG");
      const elsewhere = await get("/v1");
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  it("answers /healthz", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
