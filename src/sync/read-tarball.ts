import { createHash } from "node:crypto";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar, { type Extract } from "tar-stream";
import type { MirrorFilter } from "../config/mirror-filter.js";
import { gitBlobSha } from "../git/blob-sha.js";
import type { FileEntry } from "../store/store.js";
import { PAX_PREFIX_BYTES, paxCommitId } from "./pax-commit-id.js";

export interface TarballSummary {
  /** The commit id from git's pax global header; null when the archive has none. */
  commitId: string | null;
  /**
   * A `.gitattributes` asks `git archive` to leave files out or rewrite them (`export-ignore`,
   * `export-subst`), so this archive may differ from the commit's tree.
   */
  usesExportAttributes: boolean;
}

/** A file the filter accepts by path, with its git blob sha; `content` null when it is over `maxFileBytes`. */
export type TarballFile = FileEntry & { content: Buffer | null };

const EXPORT_ATTRIBUTES = /\bexport-(ignore|subst)\b/;
const MAX_ATTRIBUTES_BYTES = 1024 * 1024;

type TarEntry = Extract extends AsyncIterable<infer E> ? E : never;

/**
 * An entry's git blob sha, hashed as its chunks arrive (a large file never blocks the event loop for
 * one long hash), and its bytes when `keep` (tar-stream's entries are streamx streams, typed
 * without async iteration).
 */
function readEntry(entry: TarEntry, size: number, keep: boolean): Promise<{ sha: string; content: Buffer | null }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha1").update(`blob ${size}\0`);
    const chunks: Buffer[] = [];
    entry.on("data", (chunk) => {
      hash.update(chunk as Buffer);
      if (keep) chunks.push(chunk as Buffer);
    });
    entry.on("end", () => resolve({ sha: hash.digest("hex"), content: keep ? Buffer.concat(chunks) : null }));
    entry.on("error", reject);
  });
}

/** Keeps the first bytes that pass through, where git puts its pax global header. */
function prefixTap(): { tap: Transform; prefix: () => Buffer } {
  const chunks: Buffer[] = [];
  let kept = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (kept < PAX_PREFIX_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
      done(null, chunk);
    },
  });
  return { tap, prefix: () => Buffer.concat(chunks) };
}

/**
 * Reads a gzipped tarball of a commit as GitHub serves it: one top folder (`owner-repo-shortsha/`)
 * whose contents are the repository. Directories and submodules (empty directories in an archive)
 * are skipped; a symlink is mirrored as git stores it, its content being the link target.
 * Each file the filter accepts goes to `onFile`, which the reading waits for: one file's content
 * at a time is held in memory, whatever the archive's size.
 */
export async function readTarball(
  gzipped: Readable,
  filter: MirrorFilter,
  onFile: (file: TarballFile) => Promise<void>,
): Promise<TarballSummary> {
  const extract = tar.extract();
  const { tap, prefix } = prefixTap();
  let usesExportAttributes = false;

  const consume = async () => {
    for await (const entry of extract) {
      const { header } = entry;
      const slash = header.name.indexOf("/");
      const path = slash < 0 ? "" : header.name.slice(slash + 1);
      const isFile = header.type === "file" || header.type === "contiguous-file";
      const size = header.size ?? 0;
      const accepted = path !== "" && filter.acceptsPath(path);
      const isAttributes = isFile && path.split("/").pop() === ".gitattributes" && size <= MAX_ATTRIBUTES_BYTES;
      if (isFile && (accepted || isAttributes)) {
        const { sha, content } = await readEntry(entry, size, isAttributes || filter.acceptsSize(size));
        if (isAttributes) usesExportAttributes ||= EXPORT_ATTRIBUTES.test(content!.toString("utf8"));
        if (accepted) await onFile({ path, sha, size, content: filter.acceptsSize(size) ? content : null });
      } else if (header.type === "symlink" && accepted) {
        entry.resume();
        const target = Buffer.from(header.linkname ?? "", "utf8");
        await onFile({ path, sha: gitBlobSha(target), size: target.length, content: filter.acceptsSize(target.length) ? target : null });
      } else {
        entry.resume();
      }
    }
  };

  const consuming = consume().catch((error: unknown) => {
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  await Promise.all([pipeline(gzipped, createGunzip(), tap, extract), consuming]);
  return { commitId: paxCommitId(prefix()), usesExportAttributes };
}
