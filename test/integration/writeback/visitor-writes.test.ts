import { randomUUID } from "node:crypto";
import type { Access, ApiDeps, ApiRequest, ApiResponse } from "../../../src/api/api-types.js";
import { errorResponse } from "../../../src/api/error-response.js";
import { collectionRoutes } from "../../../src/api/routes/collections.js";
import { createMemoryVisitorLimits } from "../../../src/auth/visitor-limits.js";
import { ForbiddenError } from "../../../src/errors.js";
import { RecordSchemas } from "../../../src/records/record-schemas.js";
import type { WriteStore } from "../../../src/store/write-store.js";
import { acceptWrite, type WriteRequest } from "../../../src/writeback/accept-write.js";
import { captureLog } from "../../helpers/capture-log.js";
import { testConfig } from "../../helpers/test-config.js";
import { committed, createHarness, decodedAdditions, fakeGraphql, file, type Harness, REPO_ID, TEST_CONFIG } from "./writeback-harness.js";

const KEY = "site-key-0123456789abcdef";
const C1 = "c1".repeat(20);

type Who = "key" | { login: string };
interface Call {
  as: Who;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Signed-in visitors' writes through the collection routes, with the session's Access built as sign-in will build it. */
describe("writes by signed-in visitors", () => {
  let h: Harness;
  let deps: ApiDeps;
  let clock: number;

  const session = (login: string): Access => ({
    key: false,
    session: { login, userId: login.length, repoId: REPO_ID, admin: false, via: "bearer" },
  });

  async function setup(mirrorFiles = [file("data/likes/post-1/zed.json", '{\n  "doc": "post-1"\n}\n')]) {
    h = await createHarness(undefined, mirrorFiles);
    clock = Date.UTC(2025, 0, 1);
    deps = {
      store: h.store,
      config: testConfig({ apiKey: KEY }),
      log: captureLog().log,
      records: h.records,
      writeback: h.writeback,
      visitorLimits: createMemoryVisitorLimits({ now: () => clock }),
    };
  }
  beforeEach(() => setup());
  afterEach(async () => {
    await h.close({ crash: true });
  });

  /** What the router does around a route: the handler's answer, or its error as the API answers it. */
  async function call(
    method: "POST" | "PUT" | "DELETE",
    collection: string,
    id: string | undefined,
    { as, headers = {}, body }: Call,
  ): Promise<ApiResponse> {
    const route = collectionRoutes.find((r) => r.method === method && r.pattern.endsWith(id === undefined ? "{name}" : "{id...}"))!;
    const request: ApiRequest = {
      method,
      path: `/v1/repos/octo/site/collections/${collection}${id === undefined ? "" : `/${id}`}`,
      query: "",
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    };
    const bytes = Buffer.from(body === undefined ? "" : JSON.stringify(body));
    const access = as === "key" ? { key: true } : session(as.login);
    const params = { owner: "octo", repo: "site", name: collection, ...(id === undefined ? {} : { id }) };
    try {
      return await route.handle({ request, params, query: new Map(), access, deps, body: async () => bytes });
    } catch (error) {
      return errorResponse(error, request, deps.log);
    }
  }
  const alice = { login: "alice" };
  const bob = { login: "bob" };
  const pending = async () => (await h.writeStore.status(REPO_ID)).pendingWrites;
  const errorOf = (response: ApiResponse) => (response.body as { error: { code: string; message: string } }).error;
  const like = (as: Who, doc: string, headers: Record<string, string> = {}) =>
    call("POST", "likes", undefined, { as, headers, body: { doc } });

  it("stamps a visitor's records with their login, and refuses another visitor's replace or delete with 403, queueing nothing", async () => {
    expect((await like(alice, "post-1")).status).toBe(202);
    const message = await call("POST", "messages", undefined, { as: alice, body: { text: "hi" } });
    expect(message.status).toBe(202);
    const messageId = (message.body as { id: string }).id;
    expect((await h.records.read(await h.repo(), h.records.locate(await h.repo(), "messages", messageId, false))).data).toEqual({
      text: "hi",
      _author: "alice",
    });
    expect(await pending()).toBe(2);

    const attempts = [
      await call("PUT", "messages", messageId, { as: bob, body: { text: "mine now" } }),
      await call("DELETE", "messages", messageId, { as: bob }),
      // The like's id names alice: bob cannot even address it as his own.
      await call("DELETE", "likes", "post-1/alice", { as: bob }),
      await call("PUT", "likes", "post-1/alice", { as: bob, body: { doc: "post-1" } }),
      // A record nobody signed in wrote (made by hand, or by a key naming no user) is no visitor's.
      await call("DELETE", "likes", "post-1/zed", { as: { login: "zed" } }),
    ];
    expect(attempts.map((response) => [response.status, errorOf(response).code])).toEqual(Array(5).fill([403, "forbidden"]));
    expect(errorOf(attempts[0]!).message).toBe("collection messages has write: user: the record was written by alice");
    expect(errorOf(attempts[2]!).message).toBe("collection likes has write: user: record of alice, not of bob");
    expect(await pending()).toBe(2);

    expect((await call("PUT", "messages", messageId, { as: alice, body: { text: "edited", _author: "alice" } })).status).toBe(202);
    expect((await call("DELETE", "likes", "post-1/alice", { as: alice })).status).toBe(202);
    expect(await pending()).toBe(4);
  });

  it("refuses a body that claims another author with 403, from a visitor and from a key acting as a user", async () => {
    const claims = [
      await call("POST", "messages", undefined, { as: alice, body: { text: "hi", _author: "bob" } }),
      await call("POST", "messages", undefined, {
        as: "key",
        headers: { "x-gitdisk-user": "carol" },
        body: { text: "hi", _author: "bob" },
      }),
    ];
    for (const response of claims) {
      expect(response.status).toBe(403);
      expect(errorOf(response).message).toMatch(/^the body claims another author/);
    }
    expect(await pending()).toBe(0);
  });

  it("lets only the visitor a profile belongs to write it (write: owner)", async () => {
    expect((await call("PUT", "profiles", "alice", { as: alice, body: { name: "Alice" } })).status).toBe(202);
    const other = await call("PUT", "profiles", "bob", { as: alice, body: { name: "Bob?" } });
    expect([other.status, errorOf(other).message]).toEqual([403, "collection profiles has write: owner: record of bob, not of alice"]);
    expect((await call("DELETE", "profiles", "alice", { as: bob })).status).toBe(403);
    expect((await call("DELETE", "profiles", "alice", { as: alice })).status).toBe(202);
    expect(await pending()).toBe(2);
  });

  it("refuses visitors any write to a site collection", async () => {
    const post = await call("POST", "posts", undefined, { as: alice, body: { slug: "hello", body: "Hi" } });
    expect([post.status, errorOf(post).message]).toEqual([
      403,
      "collection posts has write: site: only the site's keys write it, not a signed-in visitor",
    ]);
    // Refused before the body is looked at: the rule, not the body's fault, is the answer.
    expect((await call("POST", "posts", undefined, { as: alice, body: { slug: "x", body: 42 } })).status).toBe(403);
    expect((await call("DELETE", "posts", "hello", { as: alice })).status).toBe(403);
    expect((await call("POST", "posts", undefined, { as: "key", body: { slug: "hello", body: "Hi" } })).status).toBe(202);
  });

  it("lets a key act for any user: its records are that user's to change, and a visitor names no one else", async () => {
    expect((await like("key", "post-2", { "x-gitdisk-user": "Bob" })).status).toBe(202);
    const record = await h.records.read(await h.repo(), h.records.locate(await h.repo(), "likes", "post-2/bob", false));
    expect(record.data).toEqual({ doc: "post-2", _author: "bob" });
    expect((await call("DELETE", "likes", "post-2/bob", { as: alice })).status).toBe(403);
    expect((await call("DELETE", "likes", "post-2/bob", { as: bob })).status).toBe(202);
    // A key naming no user stamps nothing; its id may not need a user.
    expect((await call("POST", "posts", undefined, { as: "key", body: { slug: "plain", body: "x" } })).status).toBe(202);
    const plain = await h.records.read(await h.repo(), h.records.locate(await h.repo(), "posts", "plain", false));
    expect(plain.data).toEqual({ slug: "plain", body: "x" });

    const posing = await like(alice, "post-3", { "x-gitdisk-user": "bob" });
    expect([posing.status, errorOf(posing).message]).toEqual([
      403,
      "X-Gitdisk-User is honoured only with a key: this session writes as alice",
    ]);
    expect((await like(alice, "post-3", { "x-gitdisk-user": "Alice" })).status).toBe(202);
  });

  it("reaches a visitor only by the ids the template builds", async () => {
    const response = await call("DELETE", "likes", "hand made", { as: alice });
    expect([response.status, errorOf(response).code]).toEqual([400, "bad_request"]);
  });

  it("answers a visitor over the repository's limits 429 with Retry-After, and keys are not counted", async () => {
    await h.store.updateRepo(REPO_ID, {
      config: { ...TEST_CONFIG, api: { ...TEST_CONFIG.api, visitorLimits: { writesPerMinute: 2, writesPerDay: 100 } } },
    });
    expect((await like(alice, "a")).status).toBe(202);
    // Attempts count, refused ones too (a 409 here).
    expect((await like(alice, "a")).status).toBe(409);
    const over = await like(alice, "b");
    expect(over.status).toBe(429);
    expect(over.headers?.["retry-after"]).toBe("30");
    expect(errorOf(over)).toMatchObject({ code: "too_many_requests", message: expect.stringMatching(/at most 2 a minute and 100 a day/) });
    expect((await like(bob, "b")).status).toBe(202);
    for (let i = 0; i < 5; i++) expect((await like("key", `k${i}`, { "x-gitdisk-user": "alice" })).status).toBe(202);
    clock += 30_000;
    expect((await like(alice, "b")).status).toBe(202);
  });

  it("judges a replace on the record as queued: one changed after it was read is read and judged again", async () => {
    const repo = await h.repo();
    const accept = (request: Omit<WriteRequest, "repo" | "collection">) => h.writeback.accept({ repo, collection: "messages", ...request });
    const { id } = await accept({ action: "create", data: { text: "x" }, writer: { kind: "visitor", login: "alice" }, actor: "t" });
    /** A write store where `meanwhile` runs between the visitor's read of the record and the first enqueue. */
    const racing = (meanwhile: () => Promise<unknown>): WriteStore => {
      let first = true;
      return {
        overlayAt: (...args) => h.writeStore.overlayAt(...args),
        enqueue: async (...args) => {
          if (first) await meanwhile();
          first = false;
          return h.writeStore.enqueue(...args);
        },
      } as Pick<WriteStore, "overlayAt" | "enqueue"> as WriteStore;
    };
    const deps = (writeStore: WriteStore) => ({
      store: h.store,
      writeStore,
      schemas: new RecordSchemas(),
      newWriteId: () => randomUUID(),
      newRecordUlid: () => "",
      now: Date.now,
    });
    const aliceEdits = (text: string): WriteRequest => ({
      repo,
      collection: "messages",
      action: "replace",
      id,
      data: { text },
      writer: { kind: "visitor", login: "alice" },
      actor: "session:alice",
    });
    const rewriteAs = (user: string, text: string) => () =>
      accept({ action: "replace", id, data: { text }, writer: { kind: "key", user }, actor: "key" });
    const text = async () => (await h.records.read(repo, h.records.locate(repo, "messages", id, false))).data;

    // Still hers when read again: the last write wins, as the client asked.
    await acceptWrite(aliceEdits("alice's"), deps(racing(rewriteAs("alice", "via a key"))));
    expect(await text()).toEqual({ text: "alice's", _author: "alice" });
    // Bob's by then: refused, whatever she read first.
    await expect(acceptWrite(aliceEdits("alice's again"), deps(racing(rewriteAs("bob", "bob's"))))).rejects.toThrow(ForbiddenError);
    expect(await text()).toEqual({ text: "bob's", _author: "bob" });
  });

  it("keeps authorship in the file: a store rebuilt from the repository still knows who wrote what", async () => {
    expect((await like(alice, "post-7")).status).toBe(202);
    const { calls } = fakeGraphql([committed(C1)]);
    await h.writeback.flushNow();
    const committedFile = decodedAdditions(calls[0]!)["data/likes/post-7/alice.json"]!;
    expect(committedFile).toBe('{\n  "_author": "alice",\n  "doc": "post-7"\n}\n');
    await h.close({ crash: true });

    // A new store, mirrored from the repository's files alone.
    await setup([file("data/likes/post-7/alice.json", committedFile)]);
    expect((await call("DELETE", "likes", "post-7/alice", { as: bob })).status).toBe(403);
    expect((await call("PUT", "likes", "post-7/alice", { as: alice, body: { doc: "post-7" } })).status).toBe(202);
  });
});
