import { Probot, Server } from "probot";
import { createApiHandler } from "../../../src/api/create-api-handler.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, Store } from "../../../src/store/store.js";
import { captureLog } from "../../helpers/capture-log.js";
import { freePort } from "../../helpers/free-port.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { testConfig } from "../../helpers/test-config.js";

const API_KEY = "test-site-key-0123456789";
const ADA = '{\n  "doc": "post-1"\n}\n';

function file(path: string, content: string): FileBody {
  const bytes = Buffer.from(content);
  return { path, content: bytes, sha: gitBlobSha(bytes), size: bytes.length };
}

/** The data API given the record reads and no write-back: a read-only server, as a host that turns writes off runs it. */
describe("collections on a server without writes", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let server: Server;
  let opened: Store;
  let base: string;

  beforeAll(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    const store = opened.mirror;
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
    // Reads without a queue: no pending writes to lay over the mirror.
    const api = createApiHandler({ store, config: testConfig({ apiKey: API_KEY }), log, records: createRecordReads({ store }) });
    await server.load((_app, { addHandler }) => addHandler(api));
    await server.start();
    base = `http://127.0.0.1:${port}/v1/repos/octo/site`;
  });

  afterAll(async () => {
    await server.stop();
    await opened.close();
    temp.cleanup();
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
