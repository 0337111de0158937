import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar, { type Extract } from "tar-stream";
import { gitBlobSha } from "../git/blob-sha.js";
import type { FileBody } from "../store/store.js";
import type { MirrorFilter } from "./mirror-filter.js";
import { PAX_PREFIX_BYTES, paxCommitId } from "./pax-commit-id.js";

export interface TarballContents {
  /** The commit id from git's pax global header; null when the archive has none. */
  commitId: string | null;
  /** The files the filter accepts, with their git blob shas. */
  files: FileBody[];
  /**
   * A `.gitattributes` asks `git archive` to leave files out or rewrite them (`export-ignore`,
   * `export-subst`), so this archive may differ from the commit's tree.
   */
  usesExportAttributes: boolean;
}

const EXPORT_ATTRIBUTES = /\bexport-(ignore|subst)\b/;
const MAX_ATTRIBUTES_BYTES = 1024 * 1024;

type TarEntry = Extract extends AsyncIterable<infer E> ? E : never;

/** An entry's bytes (tar-stream's entries are streamx streams, typed without async iteration). */
function readAll(entry: TarEntry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    entry.on("data", (chunk) => chunks.push(chunk as Buffer));
    entry.on("end", () => resolve(Buffer.concat(chunks)));
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
 * Entries are streamed, so only accepted files are held in memory.
 */
export async function readTarball(gzipped: Readable, filter: MirrorFilter): Promise<TarballContents> {
  const extract = tar.extract();
  const { tap, prefix } = prefixTap();
  const files: FileBody[] = [];
  let usesExportAttributes = false;

  const consume = async () => {
    for await (const entry of extract) {
      const { header } = entry;
      const slash = header.name.indexOf("/");
      const path = slash < 0 ? "" : header.name.slice(slash + 1);
      const isFile = header.type === "file" || header.type === "contiguous-file";
      const size = header.size ?? 0;
      if (isFile && path.split("/").pop() === ".gitattributes" && size <= MAX_ATTRIBUTES_BYTES) {
        const content = await readAll(entry);
        usesExportAttributes ||= EXPORT_ATTRIBUTES.test(content.toString("utf8"));
        if (filter.acceptsPath(path) && filter.acceptsSize(content.length)) files.push(fileBody(path, content));
      } else if (isFile && path !== "" && filter.acceptsPath(path) && filter.acceptsSize(size)) {
        files.push(fileBody(path, await readAll(entry)));
      } else if (header.type === "symlink" && path !== "" && filter.acceptsPath(path)) {
        entry.resume();
        const target = Buffer.from(header.linkname ?? "", "utf8");
        if (filter.acceptsSize(target.length)) files.push(fileBody(path, target));
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
  return { commitId: paxCommitId(prefix()), files, usesExportAttributes };
}

function fileBody(path: string, content: Buffer): FileBody {
  return { path, content, sha: gitBlobSha(content), size: content.length };
}
