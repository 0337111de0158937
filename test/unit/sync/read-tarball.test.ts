import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { MirrorFilter } from "../../../src/config/mirror-filter.js";
import { createMirrorFilter } from "../../../src/config/mirror-filter.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { readTarball, type TarballFile } from "../../../src/sync/read-tarball.js";
import { commit, REPO, submodule, tarballOf } from "../../helpers/nock-github.js";

const everything = createMirrorFilter({ include: ["**"], exclude: [], maxFileBytes: 1024 });

/** Reads the whole archive, gathering what it hands over. */
async function readAll(gzipped: Buffer, filter: MirrorFilter) {
  const files: TarballFile[] = [];
  const summary = await readTarball(Readable.from(gzipped), filter, async (file) => {
    files.push(file);
  });
  return { ...summary, files };
}

describe("readTarball", () => {
  it("strips the top folder, skips directories and submodules, mirrors symlinks as their target", async () => {
    const source = commit({
      "README.md": "# Hi\n",
      "a/b/c.txt": "deep",
      "bin.dat": Buffer.from([0, 1, 2, 255]),
      "empty.txt": "",
      link: { symlink: "a/b/c.txt" },
      "vendor/lib": submodule(),
    });
    const contents = await readAll(await tarballOf(REPO, source), everything);
    expect(contents.commitId).toBe(source.sha);
    expect(contents.usesExportAttributes).toBe(false);
    const byPath = Object.fromEntries(contents.files.map((file) => [file.path, file]));
    expect(Object.keys(byPath).sort()).toEqual(["README.md", "a/b/c.txt", "bin.dat", "empty.txt", "link"]);
    expect(byPath.link!.content?.toString()).toBe("a/b/c.txt");
    for (const file of contents.files) {
      expect(file.sha).toBe(gitBlobSha(file.content!));
      expect(file.sha).toBe(source.files.get(file.path)!.sha);
      expect(file.size).toBe(file.content!.length);
    }
  });

  it("hands over what the filter accepts by path, without the content of a file over maxFileBytes", async () => {
    const source = commit({ "keep.md": "k", "drop.tmp": "d", "big.md": "x".repeat(11) });
    const filter = createMirrorFilter({ include: ["**"], exclude: ["*.tmp"], maxFileBytes: 10 });
    const contents = await readAll(await tarballOf(REPO, source), filter);
    expect(contents.files).toEqual([
      { path: "big.md", sha: source.files.get("big.md")!.sha, size: 11, content: null },
      { path: "keep.md", sha: source.files.get("keep.md")!.sha, size: 1, content: Buffer.from("k") },
    ]);
  });

  it("waits for each file to be taken before reading on: one content in memory at a time", async () => {
    const source = commit(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.bin`, Buffer.alloc(200_000, i)])));
    let taking = 0;
    let mostAtOnce = 0;
    await readTarball(
      Readable.from(await tarballOf(REPO, source)),
      createMirrorFilter({ include: ["**"], exclude: [], maxFileBytes: 1e6 }),
      async () => {
        mostAtOnce = Math.max(mostAtOnce, ++taking);
        await new Promise((resolve) => setTimeout(resolve, 5));
        taking -= 1;
      },
    );
    expect(mostAtOnce).toBe(1);
  });

  it("reads paths longer than 100 bytes (pax headers) and without a commit id", async () => {
    const long = `${"dir-".repeat(30)}/file.md`;
    const source = commit({ [long]: "long" });
    const contents = await readAll(await tarballOf(REPO, source, null), everything);
    expect(contents.commitId).toBeNull();
    expect(contents.files.map((file) => file.path)).toEqual([long]);
  });

  it("flags export attributes, even in a .gitattributes the filter leaves out", async () => {
    const source = commit({ "docs/.gitattributes": "secret.txt export-ignore\n", "a.md": "a" });
    const filter = createMirrorFilter({ include: ["*.md"], exclude: [], maxFileBytes: 100 });
    const contents = await readAll(await tarballOf(REPO, source), filter);
    expect(contents.usesExportAttributes).toBe(true);
    expect(contents.files.map((file) => file.path)).toEqual(["a.md"]);
  });

  it("fails on a corrupt archive", async () => {
    await expect(readAll(gzipSync(Buffer.from("not a tar, but long enough".repeat(40))), everything)).rejects.toThrow();
    await expect(readAll(Buffer.from("not gzip"), everything)).rejects.toThrow();
  });
});
