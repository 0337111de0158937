import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiResponse } from "../../../src/api/api-types.js";
import { hashSiteKey } from "../../../src/api/site-keys.js";
import { captureLog } from "../../helpers/capture-log.js";
import { type InProcessApi, type InProcessRequest, inProcessApi } from "../../helpers/in-process-api.js";
import { testConfig } from "../../helpers/test-config.js";
import { createHarness, file, type Harness, HEAD, TEST_CONFIG } from "../writeback/writeback-harness.js";

const OPERATOR = "operator-key-0123456789abcdef";
const config = testConfig({ apiKey: OPERATOR });
const OTHER_ID = 8;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const json = { "content-type": "application/json" };

interface CreatedKey {
  id: string;
  name: string;
  key: string;
  createdAt: string;
}

describe("repository site keys", () => {
  let h: Harness;
  let router: InProcessApi;

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<ApiResponse> => {
    const request: InProcessRequest = { method, path, query: "", headers };
    if (body !== undefined) request.body = Buffer.from(JSON.stringify(body));
    return router.route(request);
  };

  async function createKey(name = "my server", repo = "octo/site"): Promise<CreatedKey> {
    const created = await call("POST", `/v1/repos/${repo}/keys`, { ...bearer(OPERATOR), ...json }, { name });
    expect(created.status).toBe(201);
    return created.body as unknown as CreatedKey;
  }

  beforeEach(async () => {
    h = await createHarness(undefined, [file("data/users/alice.json", '{"name":"Alice"}'), file("notes/secret.md", "site secret")]);
    const repo = await h.repo();
    await h.store.upsertRepo({ ...repo, private: true }, { branch: repo.branch, config: repo.config });
    await h.store.upsertRepo(
      { id: OTHER_ID, owner: "octo", name: "other", private: true, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: TEST_CONFIG },
    );
    const secret = file("notes/secret.md", "other secret");
    await h.store.applyChanges(OTHER_ID, { fromSha: null, toSha: HEAD, upserts: [secret], deletes: [] });
    router = inProcessApi({ store: h.store, config, log: captureLog().log, records: h.records, writeback: h.writeback, keys: h.keys });
  });
  afterEach(async () => {
    await h.close({ crash: true });
  });

  it("the operator creates a key, shown once; the list names it without the key or its hash", async () => {
    const created = await createKey();
    expect(created).toEqual({ id: expect.any(String), name: "my server", key: expect.any(String), createdAt: expect.any(String) });
    expect(created.key).toMatch(/^gdk_[A-Za-z0-9_-]{43}$/);

    const listed = await call("GET", "/v1/repos/octo/site/keys", bearer(OPERATOR));
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [{ id: created.id, name: "my server", createdAt: created.createdAt, lastUsedAt: null }] });
    expect((await call("GET", "/v1/repos/octo/other/keys", bearer(OPERATOR))).body).toEqual({ items: [] });

    await call("GET", "/v1/repos/octo/site/tree", bearer(created.key));
    const used = (await call("GET", "/v1/repos/octo/site/keys", bearer(OPERATOR))).body as { items: Array<{ lastUsedAt: string }> };
    expect(used.items[0]?.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(used)).not.toContain(created.key.slice(4));
  });

  it("refuses a name that is missing, empty or over 100 characters", async () => {
    for (const body of [{}, { name: "" }, { name: "x".repeat(101) }, { name: 5 }]) {
      expect((await call("POST", "/v1/repos/octo/site/keys", { ...bearer(OPERATOR), ...json }, body)).status).toBe(400);
    }
    expect((await call("POST", "/v1/repos/octo/site/keys", { ...bearer(OPERATOR), ...json }, { name: "x".repeat(100) })).status).toBe(201);
  });

  it("reads its repository's private files, writes to it, follows its own writes and reads its status", async () => {
    const { key, id } = await createKey();
    const read = await call("GET", "/v1/repos/octo/site/files/notes/secret.md", bearer(key));
    expect(read.status).toBe(200);
    expect(Buffer.from(read.body as Buffer).toString()).toBe("site secret");
    expect((await call("GET", "/v1/repos/octo/site/status", bearer(key))).status).toBe(200);

    const written = await call(
      "POST",
      "/v1/repos/octo/site/collections/likes",
      { ...bearer(key), ...json, "x-gitdisk-user": "ann" },
      { doc: "post-1" },
    );
    expect(written.status).toBe(202);
    const { writeId } = written.body as { writeId: string };
    expect((await call("GET", `/v1/repos/octo/site/writes/${writeId}`, bearer(key))).status).toBe(200);
    // Its writes are its own (actor `key:<id>`): the operator's key does not follow them, nor does another key.
    expect((await h.writeback.write(writeId))?.actor).toBe(`key:${id}`);
    expect((await call("GET", `/v1/repos/octo/site/writes/${writeId}`, bearer(OPERATOR))).status).toBe(404);
    const second = await createKey("second");
    expect((await call("GET", `/v1/repos/octo/site/writes/${writeId}`, bearer(second.key))).status).toBe(404);
  });

  it("is for another private repository exactly an anonymous caller: not mirrored here", async () => {
    const { key } = await createKey();
    const requests: Array<[string, string, Record<string, string>, unknown?]> = [
      ["GET", "/v1/repos/octo/other/files/notes/secret.md", {}],
      ["GET", "/v1/repos/octo/other/tree", {}],
      ["GET", "/v1/repos/octo/other/status", {}],
      ["GET", "/v1/repos/octo/other/collections/likes", {}],
      ["POST", "/v1/repos/octo/other/collections/likes", { ...json, "x-gitdisk-user": "ann" }, { doc: "post-1" }],
      ["GET", "/v1/repos/octo/other/keys", {}],
      ["POST", "/v1/repos/octo/other/keys", json, { name: "mine now" }],
      ["DELETE", "/v1/repos/octo/other/keys/abc", {}],
    ];
    for (const [method, path, headers, body] of requests) {
      const withKey = await call(method, path, { ...headers, ...bearer(key) }, body);
      const anonymous = await call(method, path, headers, body);
      expect({ path, ...withKey }).toEqual({ path, ...anonymous });
      expect(withKey.status).toBe(404);
      expect(withKey.body).toEqual({ error: { code: "not_found", message: "repository octo/other is not mirrored here" } });
    }
  });

  it("stops working at once when revoked", async () => {
    const { key, id } = await createKey();
    expect((await call("GET", "/v1/repos/octo/site/tree", bearer(key))).status).toBe(200);
    expect((await call("DELETE", `/v1/repos/octo/site/keys/${id}`, bearer(OPERATOR))).status).toBe(204);
    const refused = await call("GET", "/v1/repos/octo/site/tree", bearer(key));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: { code: "unauthorized", message: "the API key is wrong" } });
    expect((await call("DELETE", `/v1/repos/octo/site/keys/${id}`, bearer(OPERATOR))).status).toBe(404);
    expect((await call("GET", "/v1/repos/octo/site/keys", bearer(OPERATOR))).body).toEqual({ items: [] });
  });

  it("a key of one repository cannot be revoked through another", async () => {
    const { key, id } = await createKey();
    expect((await call("DELETE", `/v1/repos/octo/other/keys/${id}`, bearer(OPERATOR))).status).toBe(404);
    expect((await call("GET", "/v1/repos/octo/site/tree", bearer(key))).status).toBe(200);
  });

  it("only the operator's key (or a signed-in admin, see sign-in.test.ts) creates, lists or revokes keys", async () => {
    const { key, id } = await createKey();
    const wrong = "gdk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const manage: Array<[string, string, unknown?]> = [
      ["POST", "/v1/repos/octo/site/keys", { name: "x" }],
      ["GET", "/v1/repos/octo/site/keys"],
      ["DELETE", `/v1/repos/octo/site/keys/${id}`],
    ];
    for (const [method, path, body] of manage) {
      // The repository's own key sees the repository, but may not manage its keys.
      const own = await call(method, path, { ...json, ...bearer(key) }, body);
      expect(own.status).toBe(403);
      expect(own.body).toEqual({
        error: {
          code: "forbidden",
          message: "managing the keys of octo/site needs the operator's key or a signed-in admin of the repository",
        },
      });
      expect((await call(method, path, { ...json, ...bearer(wrong) }, body)).status).toBe(401);
      expect((await call(method, path, { ...json, ...bearer("not-a-key") }, body)).status).toBe(401);
      // Anonymous: a private repository is not mirrored here.
      expect((await call(method, path, json, body)).status).toBe(404);
    }
    const site = await h.repo();
    await h.store.upsertRepo({ ...site, private: false }, { branch: site.branch, config: site.config });
    for (const [method, path, body] of manage) expect((await call(method, path, json, body)).status).toBe(401);
    expect((await call("GET", "/v1/repos/octo/site/keys", bearer(OPERATOR))).body).toMatchObject({ items: [{ id }] });
  });

  it("keeps the key's SHA-256 in the database, never the key", async () => {
    const { key } = await createKey();
    // The database and its write-ahead log, where a fresh row lands first.
    const bytes = readdirSync(h.dir)
      .filter((name) => name.startsWith("gitdisk.sqlite3"))
      .map((name) => readFileSync(join(h.dir, name)).toString("latin1"))
      .join("");
    expect(bytes).toContain(hashSiteKey(key));
    expect(bytes).not.toContain(key);
    expect(bytes).not.toContain(key.slice(4));
  });
});
