import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { gitBlobSha } from "../../src/git/blob-sha.js";
import type { MirrorStore, RepoState } from "../../src/store/store.js";
import type { NewWrite, WriteRecord } from "../../src/store/write-store.js";
import type { WriteRequest } from "../../src/writeback/accept-write.js";

let seq = 0;

/** A like made with the operator's key for `user`, as acceptWrite takes it. */
export function keyLike(repo: RepoState, doc: string, user: string): WriteRequest {
  return { actor: "key", repo, collection: "likes", action: "create", data: { doc }, writer: { kind: "key", user } };
}

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

/** The commit the write-queue tests' repository is mirrored at. */
export const QUEUE_REPO_HEAD = "1".repeat(40);

/** Repository 7 (octo/site), mirrored at QUEUE_REPO_HEAD with one record, `d/m.json`: what the write queue's tests write to. */
export async function mirrorQueueRepo(mirror: MirrorStore): Promise<void> {
  await mirror.upsertRepo(
    { id: 7, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
    { branch: "main", config: DEFAULT_REPO_CONFIG },
  );
  const existing = Buffer.from("mirror");
  await mirror.applyChanges(7, {
    fromSha: null,
    toSha: QUEUE_REPO_HEAD,
    upserts: [{ path: "d/m.json", content: existing, sha: gitBlobSha(existing), size: existing.length }],
    deletes: [],
  });
}
