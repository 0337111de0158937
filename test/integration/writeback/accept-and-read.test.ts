import {
  AppError,
  BadRequestError,
  ConfigError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  UnprocessableError,
} from "../../../src/errors.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { locateRecord } from "../../../src/record-reads/locate-record.js";
import { RecordExistsError, type WriteRequest } from "../../../src/writeback/accept-write.js";
import { createHarness, file, type Harness, REPO_ID } from "./writeback-harness.js";

const ALICE = '{\n  "name": "Alice"\n}\n';

describe("accepting writes and reading collections", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(undefined, [
      file("data/users/alice.json", ALICE),
      file("data/likes/post-1/zed.json", '{\n  "doc": "post-1"\n}\n'),
      file("data/likes/post-1/yan.json", '{\n  "doc": "post-1"\n}\n'),
      file("data/likes/post-10/xi.json", '{\n  "doc": "post-10"\n}\n'),
      file("data/likes/post-1/notes.txt", "not a record"),
      file("data/likes/post-2/broken.json", "{ broken"),
      file("content/posts/hello.md", "---\ntitle: Hello\n---\nFirst post\n"),
    ]);
  });
  afterEach(async () => {
    await h.close({ crash: true });
  });

  const write = async (request: Omit<WriteRequest, "repo" | "actor">) =>
    h.writeback.accept({ repo: await h.repo(), actor: "key", ...request });
  const pending = async () => (await h.writeStore.status(REPO_ID)).pendingWrites;
  const read = async (collection: string, id: string) => {
    const repo = await h.repo();
    return h.records.read(repo, locateRecord(repo, collection, id));
  };
  const list = async (collection: string, prefix = "", limit = 100, cursor?: string) =>
    h.records.list(await h.repo(), collection, { prefix, limit, cursor }, () => true);

  it("queues a new record and answers with its id, path, write id and the sha its file will have", async () => {
    const accepted = await write({ collection: "likes", action: "create", data: { doc: "post-2" }, writer: { kind: "key", user: "Bob" } });
    // The acting user is the record's author, in its file.
    const sha = gitBlobSha(Buffer.from('{\n  "_author": "bob",\n  "doc": "post-2"\n}\n'));
    expect(accepted).toEqual({
      id: "post-2/bob",
      path: "data/likes/post-2/bob.json",
      writeId: expect.stringMatching(/^[\w-]{22}$/),
      status: "queued",
      sha,
      created: true,
    });
    expect(await h.writeback.write(accepted.writeId)).toEqual({
      writeId: accepted.writeId,
      repoId: REPO_ID,
      id: "post-2/bob",
      path: "data/likes/post-2/bob.json",
      actor: "key",
      status: "queued",
    });
    const message = await write({ collection: "messages", action: "create", data: { text: "hi" }, writer: { kind: "key", user: "bob" } });
    expect(message.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(message.path).toBe(`data/messages/${message.id}.json`);
  });

  it("answers 409 with the id when a POST's record exists, in the mirror or pending", async () => {
    await expect(
      write({ collection: "likes", action: "create", data: { doc: "post-1" }, writer: { kind: "key", user: "zed" } }),
    ).rejects.toMatchObject({
      code: "conflict",
      details: { id: "post-1/zed" },
    });
    await write({ collection: "likes", action: "create", data: { doc: "post-3" }, writer: { kind: "key", user: "amy" } });
    const again = write({ collection: "likes", action: "create", data: { doc: "post-3" }, writer: { kind: "key", user: "AMY" } });
    await expect(again).rejects.toBeInstanceOf(RecordExistsError);
    expect(await pending()).toBe(1);
  });

  it("makes PUT and DELETE conditional on If-Match, judged on the record as reads see it", async () => {
    const mirrorSha = gitBlobSha(Buffer.from(ALICE));
    await expect(
      write({
        collection: "profiles",
        action: "replace",
        id: "alice",
        data: { name: "A" },
        writer: { kind: "key", user: "alice" },
        ifMatch: "0".repeat(40),
      }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const replaced = await write({
      collection: "profiles",
      action: "replace",
      id: "alice",
      data: { name: "A2" },
      writer: { kind: "key", user: "alice" },
      ifMatch: mirrorSha,
    });
    expect(replaced.created).toBe(false);
    const current = await read("profiles", "alice");
    expect(current).toEqual({
      id: "alice",
      data: { _author: "alice", name: "A2" },
      sha: gitBlobSha(Buffer.from('{\n  "_author": "alice",\n  "name": "A2"\n}\n')),
    });
    await expect(
      write({ collection: "profiles", action: "delete", id: "alice", writer: { kind: "key", user: "alice" }, ifMatch: mirrorSha }),
    ).rejects.toMatchObject({ code: "precondition-failed" });
    await write({ collection: "profiles", action: "delete", id: "alice", writer: { kind: "key", user: "alice" }, ifMatch: current.sha });
    await expect(read("profiles", "alice")).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      write({ collection: "profiles", action: "delete", id: "alice", writer: { kind: "key", user: "alice" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      write({ collection: "profiles", action: "replace", id: "alice", data: {}, writer: { kind: "key", user: "alice" }, ifMatch: "*" }),
    ).rejects.toMatchObject({ code: "precondition-failed" });
    const created = await write({
      collection: "profiles",
      action: "replace",
      id: "Alice",
      data: { name: "new" },
      writer: { kind: "key", user: "alice" },
    });
    expect(created).toMatchObject({ id: "alice", created: true });
  });

  it("validates against the collection's schema and answers 422 with the validator's messages", async () => {
    const refusal = write({
      collection: "messages",
      action: "create",
      data: { text: "", extra: true },
      writer: { kind: "key", user: "bob" },
    });
    await expect(refusal).rejects.toBeInstanceOf(UnprocessableError);
    await expect(refusal).rejects.toThrow(
      /must NOT have fewer than 1 characters.*must NOT have additional properties|must NOT have additional properties.*fewer than 1/,
    );
    expect(await pending()).toBe(0);
  });

  it("refuses with 413 a record larger than the collection's maxBytes", async () => {
    await expect(
      write({ collection: "messages", action: "create", data: { text: "x".repeat(300) }, writer: { kind: "key", user: "bob" } }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await pending()).toBe(0);
  });

  it.each([
    [{ collection: "likes", action: "create", data: { doc: "../../etc" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: "a/b" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: ".git" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: ".github" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: "x\u0007" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: "x".repeat(256) }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "create", data: { doc: "post-1" }, writer: { kind: "key", user: "../bob" } }],
    [{ collection: "likes", action: "create", data: { doc: "post-1" }, writer: { kind: "key" } }],
    [{ collection: "likes", action: "create", data: ["not", "an", "object"], writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "replace", id: "../../../.git/config", data: {}, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "replace", id: "/etc/passwd", data: {}, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "replace", id: "post-1/bob/extra", data: {}, writer: { kind: "key", user: "bob" } }],
    [{ collection: "likes", action: "replace", id: "post-1/bob", data: { doc: "post-2" }, writer: { kind: "key", user: "bob" } }],
    [{ collection: "profiles", action: "delete", id: "..", writer: { kind: "key", user: "bob" } }],
    [{ collection: "posts", action: "create", data: { slug: "x", body: 42 }, writer: { kind: "key", user: "bob" } }],
  ] as Array<[Omit<WriteRequest, "repo">]>)("refuses %j with 400 and queues nothing", async (request) => {
    await expect(write(request)).rejects.toBeInstanceOf(BadRequestError);
    expect(await pending()).toBe(0);
  });

  it("answers 404 for an unknown collection", async () => {
    await expect(write({ collection: "nope", action: "create", data: {}, writer: { kind: "key", user: "bob" } })).rejects.toMatchObject({
      code: "not-found",
    });
    await expect(list("nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses writes while a collection's schema file is missing", async () => {
    await h.store.applyChanges(REPO_ID, { fromSha: null, toSha: "f".repeat(40), upserts: [], deletes: ["schemas/message.json"] });
    await expect(
      write({ collection: "messages", action: "create", data: { text: "hi" }, writer: { kind: "key", user: "bob" } }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it("lists records by id prefix with the total count, overlaying pending writes", async () => {
    await write({ collection: "likes", action: "create", data: { doc: "post-1" }, writer: { kind: "key", user: "amy" } });
    await write({ collection: "likes", action: "delete", id: "post-1/zed", writer: { kind: "key", user: "zed" } });
    const counter = await list("likes", "post-1/", 0);
    expect(counter).toEqual({ items: [], count: 2, cursor: null });
    const page = await list("likes", "post-1/");
    expect(page.items).toEqual([
      { id: "post-1/amy", data: { _author: "amy", doc: "post-1" } },
      { id: "post-1/yan", data: { doc: "post-1" } },
    ]);
    const all = await list("likes");
    expect(all.count).toBe(4);
    expect(all.items.map((i) => i.id)).toEqual(["post-1/amy", "post-1/yan", "post-10/xi", "post-2/broken"]);
    expect(all.items[3]).toMatchObject({ data: null, error: expect.any(String) });
  });

  it("pages through a listing with a cursor", async () => {
    const first = await list("likes", "", 2);
    expect(first.items.map((i) => i.id)).toEqual(["post-1/yan", "post-1/zed"]);
    const second = await list("likes", "", 2, first.cursor!);
    expect(second.items.map((i) => i.id)).toEqual(["post-10/xi", "post-2/broken"]);
    expect(second.cursor).toBeNull();
    await expect(list("likes", "", 2, "!!")).rejects.toBeInstanceOf(BadRequestError);
    await expect(list("likes", "../", 2)).rejects.toBeInstanceOf(BadRequestError);
  });

  it("reads Markdown records with their front matter as fields and the text as body", async () => {
    expect((await read("posts", "hello")).data).toEqual({ title: "Hello", body: "First post\n" });
    const accepted = await write({
      collection: "posts",
      action: "create",
      data: { slug: "second", title: "Two", body: "Text" },
      writer: { kind: "key", user: "bob" },
    });
    expect(accepted.path).toBe("content/posts/second.md");
    expect((await read("posts", "second")).data).toEqual({ _author: "bob", slug: "second", title: "Two", body: "Text" });
    const [queued] = await h.writeStore.overlayUnder(REPO_ID, "content/posts/second.md", 0);
    expect(queued?.content?.toString()).toBe("---\n_author: bob\nslug: second\ntitle: Two\n---\nText");
  });

  it("reports a record file that does not parse", async () => {
    await expect(read("likes", "post-2/broken")).rejects.toMatchObject({ code: "unreadable-record" });
    await expect(read("likes", "post-2/broken")).rejects.toBeInstanceOf(AppError);
  });
});
