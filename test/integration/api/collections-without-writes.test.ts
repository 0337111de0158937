import { Probot, Server } from "probot";
import { createGitdisk, type GitdiskRuntime } from "../../../src/app.js";
import { readConfig } from "../../../src/config/read-config.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { SqliteMirrorStore } from "../../../src/store/sqlite/sqlite-mirror-store.js";
import type { FileBody } from "../../../src/store/store.js";
import { freePort } from "../../helpers/free-port.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { captureLog } from "../../unit/api/capture-log.js";

const API_KEY = "test-site-key-0123456789";
const ADA = '{\n  "doc": "post-1"\n}\n';

/** Token mode with the site key: the store is given, so DATA_DIR is never opened. */
function tokenModeConfig() {
  return readConfig({
    GITHUB_TOKEN: "unused",
    WEBHOOK_SECRET: "webhook-secret",
    GITDISK_API_KEY: API_KEY,
    GITDISK_HEAL_INTERVAL_SECONDS: "0",
  });
}

function file(path: string, content: string): FileBody {
  const bytes = Buffer.from(content);
  return { path, content: bytes, sha: gitBlobSha(bytes), size: bytes.length };
}

/** gitdisk given a mirror store and no write queue: a read-only server, as a host that turns writes off runs it. */
describe("collections on a server without writes", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let server: Server;
  let runtime: GitdiskRuntime | undefined;
  let base: string;

  beforeAll(async () => {
    temp = makeTempDir();
    const store = new SqliteMirrorStore(openDatabase(temp.dir));
    await store.upsertRepo(
      { id: 1, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    await store.applyChanges(1, {
      fromSha: null,
      toSha: "1".repeat(40),
      upserts: [file("data/likes/post-1/ada.json", ADA), file("data/likes/post-1/bob.json", ADA)],
      deletes: [],
    });
    const port = await freePort();
    const log = captureLog().log;
    server = new Server({
      port,
      host: "127.0.0.1",
      log,
      Probot: Probot.defaults({ githubToken: "unused", secret: "webhook-secret", log }),
    });
    await server.load(createGitdisk({ config: tokenModeConfig(), store, onReady: (ready) => (runtime = ready) }));
    await server.start();
    base = `http://127.0.0.1:${port}/v1/repos/octo/site`;
  });

  afterAll(async () => {
    await server.stop();
    await runtime?.stop();
    temp.cleanup();
  });

  it("has no write-back", () => {
    expect(runtime?.writeback).toBeUndefined();
  });

  it("lists a collection from the mirror", async () => {
    const response = await fetch(`${base}/collections/likes`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        { id: "post-1/ada", data: { doc: "post-1" } },
        { id: "post-1/bob", data: { doc: "post-1" } },
      ],
      count: 2,
      cursor: null,
    });
  });

  it("reads a record from the mirror, with its sha as the ETag", async () => {
    const response = await fetch(`${base}/collections/likes/post-1/ada`);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${gitBlobSha(Buffer.from(ADA))}"`);
    expect(await response.json()).toEqual({ id: "post-1/ada", data: { doc: "post-1" }, sha: gitBlobSha(Buffer.from(ADA)) });
    expect((await fetch(`${base}/collections/likes/post-1/cy`)).status).toBe(404);
  });

  it("answers writes and write lookups with 503: writes are not enabled", async () => {
    const keyed = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "x-gitdisk-user": "ada" };
    const write = await fetch(`${base}/collections/likes`, { method: "POST", headers: keyed, body: JSON.stringify({ doc: "post-2" }) });
    expect(write.status).toBe(503);
    expect(await write.json()).toEqual({ error: { code: "unavailable", message: "writes are not enabled on this server" } });
    expect((await fetch(`${base}/writes/01JD0000000000000000000001`, { headers: keyed })).status).toBe(503);
  });
});
