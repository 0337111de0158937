import type { ApiResponse } from "../../../src/api/api-types.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { captureLog } from "../../helpers/capture-log.js";
import { type InProcessApi, type InProcessRequest, inProcessApi } from "../../helpers/in-process-api.js";
import { testConfig } from "../../helpers/test-config.js";
import { committed, createHarness, fakeGraphql, file, graphqlError, type Harness, REPO_ID, TEST_CONFIG } from "./writeback-harness.js";

const KEY = "site-key-0123456789abcdef";
const C1 = "c1".repeat(20);
const BASE = "/v1/repos/octo/site";

interface Call {
  method?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

describe("collection and write routes", () => {
  let h: Harness;
  let router: InProcessApi;

  // The default GITDISK_MAX_BODY_BYTES: some bodies here are deep or wide on purpose.
  const config = testConfig({ apiKey: KEY, maxBodyBytes: 1024 * 1024 });

  beforeEach(async () => {
    h = await createHarness({ flushWindowMs: 20, backoffMs: 5, maxBackoffMs: 20, stopTimeoutMs: 200, maxWaitMs: 2_000 }, [
      file("data/users/alice.json", '{\n  "name": "Alice"\n}\n'),
      file("data/likes/post-1/zed.json", '{\n  "doc": "post-1"\n}\n'),
    ]);
    router = inProcessApi({ store: h.store, config, log: captureLog().log, records: h.records, writeback: h.writeback });
  });
  afterEach(async () => {
    await h.close({ crash: true });
  });

  function call(path: string, { method = "GET", query = "", headers = {}, body }: Call = {}): Promise<ApiResponse> {
    const request: InProcessRequest = {
      method,
      path: `${BASE}${path}`,
      query,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body)) }),
    };
    return router.route(request);
  }
  const writer = (user = "alice") => ({ authorization: `Bearer ${KEY}`, "x-gitdisk-user": user });
  const json = (response: ApiResponse) => response.body as Record<string, unknown>;

  it("accepts a write with 202 and shows it at once in reads, /writes and /status", async () => {
    const response = await call("/collections/likes", { method: "POST", headers: writer("Bob"), body: { doc: "post-1" } });
    expect(response.status).toBe(202);
    const accepted = json(response);
    const sha = gitBlobSha(Buffer.from('{\n  "_author": "bob",\n  "doc": "post-1"\n}\n'));
    expect(accepted).toEqual({ id: "post-1/bob", path: "data/likes/post-1/bob.json", writeId: expect.any(String), sha, status: "queued" });
    expect(response.headers).toMatchObject({ location: `${BASE}/writes/${accepted.writeId as string}`, etag: `"${sha}"` });
    // A page's script may read where to follow the write, and the ETag to send back as If-Match.
    expect(response.headers?.["access-control-expose-headers"]?.split(", ")).toEqual(expect.arrayContaining(["Location", "ETag"]));

    expect(json(await call("/collections/likes", { query: "prefix=post-1/&limit=0" }))).toEqual({ items: [], count: 2, cursor: null });
    const record = await call("/collections/likes/post-1/bob");
    expect(record.status).toBe(200);
    expect(json(record)).toEqual({ id: "post-1/bob", data: { _author: "bob", doc: "post-1" }, sha });
    expect((await call("/collections/likes/post-1/bob", { headers: { "if-none-match": record.headers!.etag! } })).status).toBe(304);

    expect(json(await call(`/writes/${accepted.writeId as string}`, { headers: writer() }))).toEqual({
      writeId: accepted.writeId,
      id: "post-1/bob",
      path: "data/likes/post-1/bob.json",
      status: "queued",
    });
    expect(json(await call("/status"))).toMatchObject({ pendingWrites: 1, lastCommitAt: null, lastWriteError: null });
  });

  it("with ?wait=1 answers 201 for a creation, 200 for a replacement or deletion, once committed", async () => {
    const { calls } = fakeGraphql([committed(C1), committed("c2".repeat(20)), committed("c3".repeat(20))]);
    const created = await call("/collections/likes", { method: "POST", query: "wait=1", headers: writer(), body: { doc: "post-9" } });
    expect(created.status).toBe(201);
    const sha = gitBlobSha(Buffer.from('{\n  "_author": "alice",\n  "doc": "post-9"\n}\n'));
    expect(json(created)).toEqual({
      id: "post-9/alice",
      path: "data/likes/post-9/alice.json",
      writeId: expect.any(String),
      sha,
      status: "committed",
      commit: C1,
    });
    expect(created.headers?.etag).toBe(`"${sha}"`);

    const replaced = await call("/collections/profiles/alice", { method: "PUT", query: "wait=1", headers: writer(), body: { name: "A" } });
    expect([replaced.status, json(replaced).status]).toEqual([200, "committed"]);
    const deleted = await call("/collections/likes/post-9/alice", { method: "DELETE", query: "wait=1", headers: writer() });
    expect([deleted.status, json(deleted).commit, json(deleted).sha, deleted.headers?.etag]).toEqual([
      200,
      "c3".repeat(20),
      null,
      undefined,
    ]);
    expect(calls).toHaveLength(3);
    expect(json(await call("/status"))).toMatchObject({
      pendingWrites: 0,
      lastCommit: "c3".repeat(20),
      lastCommitAt: expect.stringMatching(/^\d{4}-/),
    });
  });

  it("gives writes unguessable ids, each followed in /writes only by whoever made it", async () => {
    const ids: string[] = [];
    for (const doc of ["a", "b", "c", "d", "e", "f"]) {
      ids.push(json(await call("/collections/likes", { method: "POST", headers: writer(), body: { doc } })).writeId as string);
    }
    for (const [index, id] of ids.entries()) {
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
      expect(Buffer.from(id, "base64url").toString("base64url")).toBe(id);
      // Consecutive ids have nothing in common to guess from (ULIDs of one millisecond shared 25 of 26 characters).
      const previous = ids[index - 1] ?? "";
      let shared = 0;
      while (shared < id.length && id[shared] === previous[shared]) shared += 1;
      expect(shared).toBeLessThan(6);
    }

    const unknown = await call(`/writes/${"A".repeat(22)}`);
    const anonymous = await call(`/writes/${ids[0]!}`);
    expect([anonymous.status, json(anonymous)]).toEqual([
      404,
      { error: { code: "not_found", message: `no write ${ids[0]!} in octo/site` } },
    ]);
    expect(json(unknown)).toEqual({ error: { code: "not_found", message: `no write ${"A".repeat(22)} in octo/site` } });
    expect((await call(`/writes/${ids[0]!}`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);

    // A write another actor made (a signed-in visitor, once sessions exist) is not the key holder's to follow.
    const theirs = await h.writeStore.enqueue(
      {
        id: "visitor-write-id-00000",
        repoId: REPO_ID,
        branch: "main",
        collection: "likes",
        recordId: "post-7/bob",
        path: "data/likes/post-7/bob.json",
        op: "delete",
        user: "bob",
        actor: "session:bob",
        content: null,
        sha: null,
        acceptedAt: 0,
      },
      {},
      0,
    );
    expect(theirs.ok).toBe(true);
    expect((await call("/writes/visitor-write-id-00000", { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(404);
  });

  it("answers 409 with the existing record's id, and 412 when If-Match does not hold", async () => {
    const conflict = await call("/collections/likes", { method: "POST", headers: writer("zed"), body: { doc: "post-1" } });
    expect(conflict.status).toBe(409);
    expect(json(conflict)).toMatchObject({ id: "post-1/zed", error: { code: "conflict" } });

    const stale = await call("/collections/profiles/alice", {
      method: "PUT",
      headers: { ...writer(), "if-match": `"${"0".repeat(40)}"` },
      body: { name: "x" },
    });
    expect(stale.status).toBe(412);
    const sha = json(await call("/collections/profiles/alice")).sha as string;
    expect(
      (await call("/collections/profiles/alice", { method: "PUT", headers: { ...writer(), "if-match": `"${sha}"` }, body: { name: "x" } }))
        .status,
    ).toBe(202);
    expect((await call("/collections/profiles/alice", { method: "DELETE", headers: { ...writer(), "if-match": "nonsense" } })).status).toBe(
      400,
    );
  });

  it("takes the sha a 202 returned as the next If-Match, without a read in between", async () => {
    const first = await call("/collections/profiles/alice", { method: "PUT", headers: writer(), body: { name: "A" } });
    const next = await call("/collections/profiles/alice", {
      method: "PUT",
      headers: { ...writer(), "if-match": first.headers!.etag! },
      body: { name: "B" },
    });
    expect(next.status).toBe(202);
    expect(json(await call("/collections/profiles/alice"))).toMatchObject({ data: { name: "B" }, sha: json(next).sha });
  });

  it("honours If-None-Match: * on PUT: creates only what does not exist, pending writes included", async () => {
    const create = (id: string) =>
      call(`/collections/profiles/${id}`, { method: "PUT", headers: { ...writer(id), "if-none-match": "*" }, body: { name: id } });
    const mirrored = await create("alice");
    expect(mirrored.status).toBe(412);
    expect(json(mirrored)).toMatchObject({ error: { code: "precondition_failed", message: "record alice already exists" } });
    expect((await create("carol")).status).toBe(202);
    expect((await create("carol")).status).toBe(412);
    expect(json(await call("/collections/profiles/alice"))).toMatchObject({ data: { name: "Alice" } });
    const deleteIfAbsent = await call("/collections/profiles/carol", {
      method: "DELETE",
      headers: { ...writer("carol"), "if-none-match": "*" },
    });
    expect(deleteIfAbsent.status).toBe(400);
    expect(
      (await call("/collections/profiles/dave", { method: "PUT", headers: { ...writer("dave"), "if-none-match": '"abc"' }, body: {} }))
        .status,
    ).toBe(400);
  });

  it("with ?wait=1 answers a write GitHub refused for good with 502, saying it failed and why", async () => {
    fakeGraphql([graphqlError("FORBIDDEN", "Resource not accessible by integration")]);
    const failed = await call("/collections/likes", { method: "POST", query: "wait=1", headers: writer(), body: { doc: "post-7" } });
    expect(failed.status).toBe(502);
    expect(json(failed)).toEqual({
      id: "post-7/alice",
      path: "data/likes/post-7/alice.json",
      writeId: expect.any(String),
      sha: null,
      status: "failed",
      error: { code: "write_failed", message: "the write was not committed: Resource not accessible by integration" },
    });
  });

  it.each([
    ["no key", "/collections/likes", { method: "POST", headers: { "x-gitdisk-user": "bob" }, body: { doc: "a" } }, 401],
    [
      "a wrong key",
      "/collections/likes",
      { method: "POST", headers: { authorization: "Bearer wrong-key", "x-gitdisk-user": "bob" }, body: { doc: "a" } },
      401,
    ],
    ["no acting user", "/collections/likes", { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: { doc: "a" } }, 400],
    [
      "invalid JSON",
      "/collections/likes",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: Buffer.from("{nope") },
      400,
    ],
    [
      "an unknown collection",
      "/collections/nope",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: {} },
      404,
    ],
    [
      "a schema violation",
      "/collections/messages",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { text: 1 } },
      422,
    ],
    [
      "a record over maxBytes",
      "/collections/messages",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { text: "x".repeat(300) } },
      413,
    ],
    [
      "an id climbing out",
      "/collections/profiles/..%2F..%2Fetc",
      { method: "PUT", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: {} },
      400,
    ],
    [
      "an id into .git",
      "/collections/likes/.git/config",
      { method: "PUT", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: {} },
      400,
    ],
    [
      "an id over 255 bytes",
      `/collections/likes/${"p".repeat(252)}/bob`,
      { method: "PUT", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: {} },
      400,
    ],
    [
      "an id with a Windows device name",
      "/collections/likes/post-1/CON",
      { method: "PUT", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: {} },
      400,
    ],
    [
      "an id with a bidi override",
      "/collections/likes",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { doc: "txt.exe\u202egpj" } },
      400,
    ],
    [
      "a field with a C1 control",
      "/collections/likes",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { doc: "a\u0085b" } },
      400,
    ],
    [
      "a field with a slash",
      "/collections/likes",
      { method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { doc: "a/b" } },
      400,
    ],
    [
      "a bad wait value",
      "/collections/likes",
      { method: "POST", query: "wait=soon", headers: { authorization: `Bearer ${KEY}`, "x-gitdisk-user": "bob" }, body: { doc: "a" } },
      400,
    ],
    ["a page too large", "/collections/likes", { query: "limit=5000" }, 400],
    ["an unknown write", "/writes/01J00000000000000000000000", {}, 404],
  ] as Array<[string, string, Call, number]>)("refuses %s", async (_what, path, request, status) => {
    const response = await call(path, request);
    expect(response.status).toBe(status);
    expect(json(await call("/status"))).toMatchObject({ pendingWrites: 0 });
  });

  const nestedArrays = (depth: number, items: number) =>
    Buffer.from(`{"a":${"[".repeat(depth - 1)}${"0,".repeat(items)}0${"]".repeat(depth - 1)}}`);

  it.each([33, 5_000])("refuses a body nested %i levels deep with a 400 naming the limit", async (depth) => {
    const response = await call("/collections/profiles/alice", { method: "PUT", headers: writer(), body: nestedArrays(depth, 1) });
    expect(response.status).toBe(400);
    expect(json(response).error).toEqual({
      code: "bad_request",
      message: "the request body nests arrays and objects more than 32 levels deep",
    });
    expect(json(await call("/status"))).toMatchObject({ pendingWrites: 0 });
  });

  it("refuses with a 413, at once, a small body whose indented file would pass the largest file the repository mirrors", async () => {
    await h.store.updateRepo(REPO_ID, { config: { ...TEST_CONFIG, mirror: { ...TEST_CONFIG.mirror, maxFileBytes: 1024 * 1024 } } });
    const body = nestedArrays(32, 20_000);
    expect(body.length).toBeLessThan(41_000);
    const started = performance.now();
    const response = await call("/collections/profiles/alice", { method: "PUT", headers: writer(), body });
    expect(response.status).toBe(413);
    expect(json(response).error).toEqual({ code: "payload_too_large", message: "the record's file would be over 1048576 bytes" });
    expect(performance.now() - started).toBeLessThan(500);
    expect(json(await call("/status"))).toMatchObject({ pendingWrites: 0 });
    // Within the limit, the same shape is taken: only the file's size decides.
    expect((await call("/collections/profiles/alice", { method: "PUT", headers: writer(), body: nestedArrays(32, 2_000) })).status).toBe(
      202,
    );
  });

  it("lets the site key read, replace and delete records made by hand under names the template does not fit", async () => {
    await h.store.applyChanges(REPO_ID, {
      fromSha: null,
      toSha: "f".repeat(40),
      upserts: [file("data/likes/hand made.json", '{\n  "note": "by hand"\n}\n'), file("data/likes/post-1/Not_A_Login.json", "{}\n")],
      deletes: [],
    });
    const key = { authorization: `Bearer ${KEY}` };
    const listed = json(await call("/collections/likes", { headers: key })).items as Array<{ id: string }>;
    expect(listed.map((item) => item.id)).toEqual(expect.arrayContaining(["hand made", "post-1/Not_A_Login"]));

    // Without the key, today's answer: the template could not have built these ids.
    for (const id of ["hand%20made", "post-1/Not_A_Login"]) {
      const refused = await call(`/collections/likes/${id}`);
      expect([refused.status, (json(refused).error as { message: string }).message]).toEqual([
        400,
        expect.stringMatching(/does not fit the template \{doc\}\/\{user\}/),
      ]);
    }

    const read = await call("/collections/likes/hand%20made", { headers: key });
    expect([read.status, json(read)]).toEqual([200, { id: "hand made", data: { note: "by hand" }, sha: expect.any(String) }]);
    expect(json(await call("/collections/likes/post-1/Not_A_Login", { headers: key }))).toMatchObject({
      id: "post-1/Not_A_Login",
      data: {},
    });

    const replaced = await call("/collections/likes/hand%20made", { method: "PUT", headers: writer(), body: { note: "fixed" } });
    expect([replaced.status, json(replaced).path]).toEqual([202, "data/likes/hand made.json"]);
    expect(json(await call("/collections/likes/hand%20made", { headers: key })).data).toEqual({ _author: "alice", note: "fixed" });
    expect((await call("/collections/likes/post-1/Not_A_Login", { method: "DELETE", headers: writer() })).status).toBe(202);
    expect((await call("/collections/likes/post-1/Not_A_Login", { headers: key })).status).toBe(404);

    // Never created under a name the template could not build, and still path-checked.
    const created = await call("/collections/likes/new%20name", { method: "PUT", headers: writer(), body: {} });
    expect([created.status, (json(created).error as { message: string }).message]).toEqual([
      400,
      expect.stringMatching(/does not fit the template/),
    ]);
    expect((await call("/collections/likes/..%2F..%2Fetc", { headers: key })).status).toBe(400);
    expect((await call("/collections/likes/.git/config", { headers: key })).status).toBe(400);
    expect(json(await call("/status"))).toMatchObject({ pendingWrites: 2 });
  });

  it("keeps a record made by hand under a name Windows cannot hold readable and deletable", async () => {
    await h.store.applyChanges(REPO_ID, {
      fromSha: null,
      toSha: "f".repeat(40),
      upserts: [file("data/likes/aux/zed.json", '{\n  "doc": "aux"\n}\n')],
      deletes: [],
    });
    expect(json(await call("/collections/likes/aux/zed"))).toMatchObject({ id: "aux/zed", data: { doc: "aux" } });
    expect((await call("/collections/likes/aux/zed", { method: "PUT", headers: writer("zed"), body: { doc: "aux" } })).status).toBe(400);
    expect((await call("/collections/likes/aux/zed", { method: "DELETE", headers: writer("zed") })).status).toBe(202);
  });

  it("puts the validator's messages in a 422", async () => {
    const response = await call("/collections/messages", { method: "POST", headers: writer(), body: { text: "", extra: 1 } });
    expect(response.status).toBe(422);
    expect((json(response).error as { message: string }).message).toMatch(/must NOT have additional properties/);
  });

  it("still answers /writes and /status with the key once the repository is uninstalled, saying its writes failed and why", async () => {
    const accepted = json(await call("/collections/likes", { method: "POST", headers: writer(), body: { doc: "post-5" } }));
    await h.store.deleteRepo(REPO_ID);
    await h.writeback.flushNow();

    const key = { authorization: `Bearer ${KEY}` };
    // Without the key, nothing tells a purged repository from one never seen.
    expect((await call(`/writes/${accepted.writeId as string}`)).status).toBe(404);
    expect((await call("/status")).status).toBe(404);
    expect(json(await call(`/writes/${accepted.writeId as string}`, { headers: key }))).toMatchObject({
      writeId: accepted.writeId,
      status: "failed",
      error: expect.stringMatching(/no longer installed/),
    });
    expect(json(await call("/status", { headers: key }))).toEqual({
      owner: "octo",
      repo: "site",
      mirrored: false,
      pendingWrites: 0,
      lastCommit: null,
      lastCommitAt: null,
      lastWriteError: expect.stringMatching(/no longer installed/),
    });
    expect((await call("/collections/likes/post-5/alice", { headers: key })).status).toBe(404);
    expect((await router.route({ method: "GET", path: "/v1/repos/octo/other/status", query: "", headers: key })).status).toBe(404);
  });

  it("answers for a renamed repository under its new name only", async () => {
    await call("/collections/likes", { method: "POST", headers: writer(), body: { doc: "post-5" } });
    await h.store.updateRepo(REPO_ID, { name: "renamed" });
    const key = { authorization: `Bearer ${KEY}` };
    expect((await call("/status", { headers: key })).status).toBe(404);
    const renamed = await router.route({ method: "GET", path: "/v1/repos/octo/renamed/status", query: "", headers: key });
    expect(renamed.body).toMatchObject({ repo: "renamed", mirrored: true, pendingWrites: 1 });
  });

  it("once a renamed repository is uninstalled, answers /status and /writes under its newest name only", async () => {
    const accepted = json(await call("/collections/likes", { method: "POST", headers: writer(), body: { doc: "post-5" } }));
    const key = { authorization: `Bearer ${KEY}` };
    const at = (name: string, path: string) =>
      router.route({ method: "GET", path: `/v1/repos/octo/${name}${path}`, query: "", headers: key });
    // What a repository.renamed delivery records, then what a heal reading the repository records.
    await h.store.updateRepo(REPO_ID, { name: "renamed" });
    const repo = await h.repo();
    await h.store.upsertRepo({ ...repo, name: "Renamed-Again" }, { branch: repo.branch, config: repo.config });
    await h.store.deleteRepo(REPO_ID);

    expect((await at("renamed-again", "/status")).body).toMatchObject({ repo: "renamed-again", mirrored: false, pendingWrites: 1 });
    expect((await at("renamed-again", `/writes/${accepted.writeId as string}`)).body).toMatchObject({
      writeId: accepted.writeId,
      status: "queued",
    });
    for (const old of ["site", "renamed"]) {
      expect((await at(old, "/status")).status).toBe(404);
      expect((await at(old, `/writes/${accepted.writeId as string}`)).status).toBe(404);
    }
  });

  it("answers 503 once shutting down", async () => {
    await h.writeback.stop();
    expect((await call("/collections/likes", { method: "POST", headers: writer(), body: { doc: "x" } })).status).toBe(503);
  });
});
