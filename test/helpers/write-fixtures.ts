import { gitBlobSha } from "../../src/git/blob-sha.js";
import type { NewWrite, WriteRecord } from "../../src/store/write-store.js";

let seq = 0;

/** A write as the API hands it to the queue: repository 7, collection likes, user alice; a null text deletes. */
export function newWrite(path: string, text: string | null, overrides: Partial<NewWrite> = {}): NewWrite {
  seq += 1;
  const content = text === null ? null : Buffer.from(text);
  return {
    id: `W${String(seq).padStart(25, "0")}`,
    repoId: 7,
    branch: "main",
    collection: "likes",
    recordId: path,
    path,
    op: text === null ? "delete" : "put",
    user: "alice",
    actor: "key",
    content,
    sha: content ? gitBlobSha(content) : null,
    acceptedAt: 1000 + seq,
    ...overrides,
  };
}

/** A queued write as the store returns it; only what a test cares about needs saying. */
export function writeRecord(path: string, text: string | null, overrides: Partial<WriteRecord> = {}): WriteRecord {
  const write = newWrite(path, text, { acceptedAt: 0 });
  return {
    ...write,
    seq,
    // Shaped as the write ids gitdisk makes, which commit trailers carry.
    id: `01JD00000000000000000${String(seq).padStart(5, "0")}`,
    status: "queued",
    batchId: null,
    commitSha: null,
    error: null,
    finishedAt: null,
    ...overrides,
  };
}
