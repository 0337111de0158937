import { gitBlobSha } from "../../../src/git/blob-sha.js";
import type { BlobAnswer, BlobBatch } from "../../../src/sync/blob-query.js";
import { type BlobSource, fetchContents } from "../../../src/sync/fetch-contents.js";

const text = (value: string) => Buffer.from(value);
const shaOf = (content: Buffer) => gitBlobSha(content);

/** An in-memory GitHub: blobs by sha, a branch head, and a log of what was asked. */
class MemorySource implements BlobSource {
  readonly calls: string[] = [];
  constructor(
    readonly blobs: Map<string, Buffer>,
    readonly head: string | null = null,
    readonly answer: (content: Buffer) => BlobAnswer = (content) => ({
      kind: "blob",
      byteSize: content.length,
      text: content.includes(0) ? null : content.toString("utf8"),
    }),
  ) {}
  async queryBlobs(oids: readonly string[], headBranch?: string): Promise<BlobBatch> {
    this.calls.push(`graphql ${oids.length}${headBranch ? ` +head(${headBranch})` : ""}`);
    const blobs = new Map(
      oids.map((oid) => [oid, this.blobs.has(oid) ? this.answer(this.blobs.get(oid)!) : ({ kind: "missing" } as const)]),
    );
    return headBranch === undefined ? { blobs } : { blobs, head: this.head };
  }
  async getBlob(sha: string): Promise<Buffer> {
    this.calls.push(`rest ${sha.slice(0, 7)}`);
    const content = this.blobs.get(sha);
    if (!content) throw Object.assign(new Error("Not Found"), { status: 404 });
    return content;
  }
  async getBranchHead(branch: string): Promise<string | null> {
    this.calls.push(`head ${branch}`);
    return this.head;
  }
}

const nothingMirrored = async () => null;

describe("fetchContents", () => {
  it("asks GraphQL in batches of 100, once per distinct sha", async () => {
    const contents = Array.from({ length: 250 }, (_, i) => text(`file ${i}`));
    const source = new MemorySource(new Map(contents.map((content) => [shaOf(content), content])));
    const wanted = contents.map((content, i) => ({ path: `f${i}`, sha: shaOf(content) }));
    wanted.push({ path: "copy-of-f0", sha: shaOf(contents[0]!) });
    const result = await fetchContents(wanted, { source, mirrored: nothingMirrored, maxFileBytes: 100 });
    expect(source.calls).toEqual(["graphql 100", "graphql 100", "graphql 50"]);
    if (result.kind !== "fetched") throw new Error("expected contents");
    expect(result.files).toHaveLength(251);
    expect(result.files.find((file) => file.path === "copy-of-f0")?.content.toString()).toBe("file 0");
  });

  it("takes content the mirror already has without asking", async () => {
    const content = text("renamed");
    const source = new MemorySource(new Map());
    const result = await fetchContents([{ path: "new/place.md", sha: shaOf(content) }], {
      source,
      mirrored: async () => content,
      maxFileBytes: 100,
    });
    expect(source.calls).toEqual([]);
    expect(result).toEqual({
      kind: "fetched",
      files: [{ path: "new/place.md", sha: shaOf(content), size: 7, content }],
      dropped: [],
      skipped: [],
    });
  });

  it("falls back to REST for binary, truncated, missing and lossy text, and checks every sha", async () => {
    const binary = Buffer.from([1, 0, 2]);
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const plain = text("plain");
    const blobs = new Map([binary, latin1, plain].map((content) => [shaOf(content), content]));
    const source = new MemorySource(blobs, null, (content) =>
      content.includes(0)
        ? { kind: "blob", byteSize: content.length, text: null }
        : { kind: "blob", byteSize: content.length, text: content.toString("utf8") },
    );
    const wanted = [binary, latin1, plain].map((content, i) => ({ path: `p${i}`, sha: shaOf(content) }));
    const result = await fetchContents(wanted, { source, mirrored: nothingMirrored, maxFileBytes: 100 });
    expect(source.calls).toEqual(["graphql 3", `rest ${shaOf(binary).slice(0, 7)}`, `rest ${shaOf(latin1).slice(0, 7)}`]);
    if (result.kind !== "fetched") throw new Error("expected contents");
    expect(result.files.map((file) => file.content)).toEqual([binary, latin1, plain]);
  });

  it("skips files over maxFileBytes (without downloading them) and drops non-blobs", async () => {
    const big = text("x".repeat(20));
    const source = new MemorySource(new Map([[shaOf(big), big]]));
    const submodule = "c".repeat(40);
    const notBlob = new MemorySource(new Map(), null, () => ({ kind: "not-blob" }));
    expect(await fetchContents([{ path: "big", sha: shaOf(big) }], { source, mirrored: nothingMirrored, maxFileBytes: 10 })).toEqual({
      kind: "fetched",
      files: [],
      dropped: [],
      skipped: [{ path: "big", sha: shaOf(big), reason: "20 bytes, over maxFileBytes (10)", cause: "file-too-big" }],
    });
    expect(source.calls).toEqual(["graphql 1"]);
    notBlob.blobs.set(submodule, Buffer.alloc(0));
    expect(
      await fetchContents([{ path: "vendor/lib", sha: submodule }], { source: notBlob, mirrored: nothingMirrored, maxFileBytes: 10 }),
    ).toEqual({ kind: "fetched", files: [], dropped: ["vendor/lib"], skipped: [] });
  });

  it("skips content that does not match its sha, to fetch again later", async () => {
    const claimed = "d".repeat(40);
    const source = new MemorySource(new Map([[claimed, text("something else")]]), null, () => ({ kind: "blob", byteSize: 14, text: null }));
    const result = await fetchContents([{ path: "x", sha: claimed }], { source, mirrored: nothingMirrored, maxFileBytes: 100 });
    expect(result).toMatchObject({
      files: [],
      skipped: [{ path: "x", sha: claimed, cause: "fetch-failed", reason: expect.stringMatching(/does not hash/) }],
    });
  });

  it("skips a blob REST fails to give, with GitHub's answer, and keeps the others", async () => {
    const broken = Buffer.from([0, 1]);
    const fine = Buffer.from([0, 2]);
    const source = new MemorySource(new Map([broken, fine].map((content) => [shaOf(content), content])), null, (content) => ({
      kind: "blob",
      byteSize: content.length,
      text: null,
    }));
    const failing: BlobSource = {
      queryBlobs: (oids, head) => source.queryBlobs(oids, head),
      getBranchHead: (branch) => source.getBranchHead(branch),
      getBlob: async (sha) => {
        if (sha === shaOf(broken)) throw Object.assign(new Error("Server Error"), { status: 502 });
        return source.getBlob(sha);
      },
    };
    const wanted = [
      { path: "broken.bin", sha: shaOf(broken) },
      { path: "fine.bin", sha: shaOf(fine) },
    ];
    const result = await fetchContents(wanted, { source: failing, mirrored: nothingMirrored, maxFileBytes: 100 });
    expect(result).toEqual({
      kind: "fetched",
      files: [{ path: "fine.bin", sha: shaOf(fine), size: 2, content: fine }],
      dropped: [],
      skipped: [
        { path: "broken.bin", sha: shaOf(broken), reason: "could not be fetched: GitHub answered 502 Bad Gateway", cause: "fetch-failed" },
      ],
    });
  });

  describe("with an expected head", () => {
    const content = text("c");
    const wanted = [{ path: "c", sha: shaOf(content) }];
    const goal = "e".repeat(40);

    it("asks it along with the first batch, and stops there when the branch is elsewhere", async () => {
      const moved = new MemorySource(new Map([[shaOf(content), content]]), "f".repeat(40));
      expect(
        await fetchContents(wanted, {
          source: moved,
          mirrored: nothingMirrored,
          maxFileBytes: 10,
          expectHead: { branch: "main", sha: goal },
        }),
      ).toEqual({ kind: "moved", head: "f".repeat(40) });
      expect(moved.calls).toEqual(["graphql 1 +head(main)"]);

      const live = new MemorySource(new Map([[shaOf(content), content]]), goal);
      expect(
        (
          await fetchContents(wanted, {
            source: live,
            mirrored: nothingMirrored,
            maxFileBytes: 10,
            expectHead: { branch: "main", sha: goal },
          })
        ).kind,
      ).toBe("fetched");
    });

    it("asks it on its own when there is no batch", async () => {
      const gone = new MemorySource(new Map(), null);
      expect(
        await fetchContents([], { source: gone, mirrored: nothingMirrored, maxFileBytes: 10, expectHead: { branch: "main", sha: goal } }),
      ).toEqual({ kind: "moved", head: null });
      expect(gone.calls).toEqual(["head main"]);
    });
  });
});
