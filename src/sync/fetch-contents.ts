import { gitBlobSha } from "../git/blob-sha.js";
import type { FileBody, SkippedFile } from "../store/store.js";
import { BLOBS_PER_QUERY, type BlobBatch } from "./blob-query.js";
import { describeSyncFailure } from "./sync-error.js";
import type { WantedBlob } from "./sync-plan.js";

/** Where blob contents come from: GitHub's GraphQL batches, with REST for what GraphQL cannot give as text. */
export interface BlobSource {
  queryBlobs(oids: readonly string[], headBranch?: string): Promise<BlobBatch>;
  getBlob(sha: string): Promise<Buffer>;
  getBranchHead(branch: string): Promise<string | null>;
}

export interface FetchOptions {
  source: BlobSource;
  /** Content the mirror already holds under this blob sha (a rename or copy costs no call). */
  mirrored(sha: string): Promise<Buffer | null>;
  maxFileBytes: number;
  /** Only worth applying if the branch's live head is this commit: asked along with the first batch. */
  expectHead?: { branch: string; sha: string };
}

export type FetchResult =
  | { kind: "moved"; head: string | null }
  /**
   * `dropped`: wanted paths that are no files after all (submodules). `skipped`: files left out, too
   * big or not given by GitHub, so that one file never holds up the rest of a change.
   */
  | { kind: "fetched"; files: FileBody[]; dropped: string[]; skipped: SkippedFile[] };

/** Why a blob is not mirrored. */
type Skip = Pick<SkippedFile, "reason" | "cause">;

/** Why a file over `mirror.maxFileBytes` is not mirrored, whichever way it was read. */
export const tooBig = (size: number, maxFileBytes: number): Skip => ({
  reason: `${size} bytes, over maxFileBytes (${maxFileBytes})`,
  cause: "file-too-big",
});

/** A blob's content from REST, or why there is none to mirror. */
async function restContent(source: BlobSource, oid: string, maxFileBytes: number): Promise<Buffer | Skip> {
  let content: Buffer;
  try {
    content = await source.getBlob(oid);
  } catch (error) {
    return { reason: `could not be fetched: ${describeSyncFailure(error)}`, cause: "fetch-failed" };
  }
  if (gitBlobSha(content) !== oid) return { reason: "GitHub gave content that does not hash to its blob sha", cause: "fetch-failed" };
  return content.length > maxFileBytes ? tooBig(content.length, maxFileBytes) : content;
}

/**
 * Finds the contents of the wanted blobs in ceil(K/100) GraphQL queries for K unknown blobs, plus one
 * REST call per blob GraphQL cannot return as text (binary, truncated, or text that does not hash
 * back to its oid, such as non-UTF-8 bytes). Every content is checked against its sha. A blob REST
 * fails to give is skipped with the reason, never failing the others.
 */
export async function fetchContents(wanted: readonly WantedBlob[], options: FetchOptions): Promise<FetchResult> {
  const { source, expectHead, maxFileBytes } = options;
  const contents = new Map<string, Buffer | Skip | null>();
  const unknown: string[] = [];
  for (const sha of new Set(wanted.map((blob) => blob.sha))) {
    const content = await options.mirrored(sha);
    if (content) contents.set(sha, content);
    else unknown.push(sha);
  }

  let headConfirmed = expectHead === undefined;
  const viaRest: string[] = [];
  for (let start = 0; start < unknown.length; start += BLOBS_PER_QUERY) {
    const oids = unknown.slice(start, start + BLOBS_PER_QUERY);
    const batch = await source.queryBlobs(oids, headConfirmed ? undefined : expectHead?.branch);
    if (!headConfirmed) {
      if (batch.head !== expectHead?.sha) return { kind: "moved", head: batch.head ?? null };
      headConfirmed = true;
    }
    for (const [oid, answer] of batch.blobs) {
      if (answer.kind === "not-blob") {
        contents.set(oid, null);
      } else if (answer.kind === "blob" && answer.byteSize > maxFileBytes) {
        contents.set(oid, tooBig(answer.byteSize, maxFileBytes));
      } else if (answer.kind === "blob" && answer.text !== null && gitBlobSha(Buffer.from(answer.text, "utf8")) === oid) {
        contents.set(oid, Buffer.from(answer.text, "utf8"));
      } else {
        viaRest.push(oid);
      }
    }
  }
  if (!headConfirmed && expectHead) {
    const head = await source.getBranchHead(expectHead.branch);
    if (head !== expectHead.sha) return { kind: "moved", head };
  }
  for (const oid of viaRest) contents.set(oid, await restContent(source, oid, maxFileBytes));

  const files: FileBody[] = [];
  const dropped: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const { path, sha } of wanted) {
    const content = contents.get(sha);
    if (Buffer.isBuffer(content)) files.push({ path, sha, size: content.length, content });
    else if (content) skipped.push({ path, sha, ...content });
    else dropped.push(path);
  }
  return { kind: "fetched", files, dropped, skipped };
}
