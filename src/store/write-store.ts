/**
 * The durable write queue: every accepted write, kept until it is in a commit on GitHub (or can never
 * be). Lives beside the mirror in the same database, because accepting a write must judge "does this
 * record exist, has it changed" against the mirror and the queue in one transaction.
 *
 * Concurrency it promises, whatever the backend and however many processes share it:
 * - Record writes are linearisable per (repository, path): `enqueue`'s check-then-insert behaves as if
 *   no other write to the path ran between them. SQLite gets this from its single writer; a backend with
 *   concurrent writers must provide it (an advisory lock on the path, or serialisable with retry).
 * - Batches are claimed, not assumed: `claimBatch` hands a repository's batch to one owner at a time
 *   for a lease, and every change to the batch (`recordAttempt`, `completeBatch`, `shrinkBatch`,
 *   `failBatch`) is fenced by that claim: a caller that no longer holds it gets a ClaimLostError and
 *   changes nothing. So any number of flushers (timers, processes, scheduled functions) may work one
 *   queue, and a batch is only ever sent by its current owner.
 */

export type WriteOp = "put" | "delete";
export type WriteStatus = "queued" | "committing" | "committed" | "failed";

export interface NewWrite {
  /** Unguessable (see newWriteId): names the write in commit trailers and `/writes/{id}`. */
  id: string;
  repoId: number;
  branch: string;
  collection: string;
  recordId: string;
  path: string;
  op: WriteOp;
  /** Acting GitHub login, lower-cased; "" for a key's write that names no user. */
  user: string;
  /** Who made the write as the API authenticated it (see actorOf): the only caller `/writes/{id}` answers. */
  actor: string;
  /** The file's new content; null for a delete. */
  content: Buffer | null;
  /** Git blob sha of `content`; null for a delete. */
  sha: string | null;
  /** Milliseconds since the epoch, as are all times here. */
  acceptedAt: number;
}

export interface WriteRecord extends NewWrite {
  /** Acceptance order across the whole queue: writes to one record apply in this order. */
  seq: number;
  status: WriteStatus;
  batchId: string | null;
  commitSha: string | null;
  error: string | null;
  finishedAt: number | null;
}

/** What the record must currently be (mirror with pending writes on top) for a write to be accepted. */
export interface WriteCondition {
  /** true: it must exist (DELETE); false: it must not (POST). */
  exists?: boolean;
  /** If-Match: its blob sha must be this. */
  sha?: string;
}

export type EnqueueResult =
  | { ok: true; write: WriteRecord; existed: boolean }
  | { ok: false; reason: "exists" | "missing" | "changed"; currentSha: string | null };

/**
 * Writes committed together, in one commit. Fixed when formed, so a retry commits exactly the same thing.
 * Handed out by `claimBatch` to one owner, whose claim every change to it must present.
 */
export interface WriteBatch {
  id: string;
  repoId: number;
  branch: string;
  /** Who holds the batch's claim: the owner it was claimed for. */
  owner: string;
  /** The head the first attempt expected; a search of the branch history for this batch can stop there. */
  baseSha: string | null;
  /** Attempts sent to GitHub so far; above 0 the outcome of an earlier one may be unknown. */
  attempts: number;
  /** In acceptance order. */
  writes: WriteRecord[];
}

export interface BatchLimits {
  /** Distinct files in one commit. */
  maxPaths: number;
  /** Writes in one commit (each is a trailer line in its message). */
  maxWrites: number;
  /** Content bytes in one commit (the request carries them base64-encoded); one write always fits. */
  maxBytes: number;
}

/** Who claims a batch, and for how long. */
export interface BatchClaim {
  /**
   * Names one worker: a process's write-back, or one invocation of a scheduled flush. An owner works at
   * most one batch of a repository at a time; claiming again renews its claim and returns the same batch.
   */
  owner: string;
  /**
   * How long the claim holds without news from its owner: `claimBatch` and `recordAttempt` renew it.
   * Once it lapses, another owner may take the batch over (its earlier attempts counted, so the new
   * owner looks for them on the branch before sending it again).
   */
  leaseMs: number;
}

/** What a fenced call presents: the batch, as its claim returned it. */
export type ClaimedBatch = Pick<WriteBatch, "id" | "owner">;

export interface WriteQueueStatus {
  /** Writes queued or being committed. */
  pendingWrites: number;
  /** When the oldest write not yet in a batch was accepted: its flush window started then. */
  oldestQueuedAt: number | null;
  lastCommit: string | null;
  lastCommitAt: number | null;
  /** Why the last commit attempt failed; cleared by the next commit. */
  lastError: string | null;
}

export interface WriteStore {
  /**
   * Checks `condition` against the record's current state (`currentSha`, `violated`) and, when it
   * holds, stores the write as queued, durably, atomically with the check: linearisable per
   * (repository, path). `now` decides which committed writes reads still overlay.
   */
  enqueue(write: NewWrite, condition: WriteCondition, now: number): Promise<EnqueueResult>;
  getWrite(id: string): Promise<WriteRecord | null>;
  /**
   * The newest write reads must see at `path`, if any: queued or committing, or committed but not
   * yet in the mirror (for a short while after its commit).
   */
  overlayAt(repoId: number, path: string, now: number): Promise<WriteRecord | null>;
  /** The same for every path under `prefix`, newest per path, sorted by path. */
  overlayUnder(repoId: number, prefix: string, now: number): Promise<WriteRecord[]>;
  /** Repositories with queued or committing writes: the work a restart resumes. */
  pendingRepos(): Promise<number[]>;
  /**
   * Claims a repository's next batch for `claim.owner` until `now + claim.leaseMs`: the batch still
   * being committed (left by a crash, a retry, or an owner whose lease lapsed), else a new batch
   * (`newBatchId`) of its oldest queued writes within `limits`, chosen by `chooseBatch`. Null when
   * nothing is queued, or when another owner holds an unexpired claim on the repository's batch.
   * Atomic: two owners claiming at once never both get a batch.
   */
  claimBatch(repoId: number, claim: BatchClaim, limits: BatchLimits, newBatchId: string, now: number): Promise<WriteBatch | null>;
  /**
   * Recorded durably before each attempt is sent, so whoever resumes the batch knows whether an
   * attempt's outcome must be looked up; renews the claim. Fenced: ClaimLostError when `batch.owner`
   * no longer holds it.
   */
  recordAttempt(batch: ClaimedBatch, expectedHead: string | null, now: number): Promise<void>;
  /**
   * The batch is in commit `commitSha`, or (null) the branch already held all it asks for, so no commit
   * carries it; its writes end committed and the claim ends with it. When the mirror could not take its
   * files yet, reads keep overlaying them until `overlayUntil` (by then the sync engine has fetched the
   * commit). Fenced as `recordAttempt`.
   */
  completeBatch(batch: ClaimedBatch, commitSha: string | null, now: number, overlayUntil?: number): Promise<void>;
  /**
   * Shrinks a batch GitHub refused to its first `keep` writes (acceptance order); the others go back to
   * the queue, still in order, for later batches. Used to find the one write GitHub refuses. Fenced as
   * `recordAttempt`; the owner keeps its claim on the smaller batch.
   */
  shrinkBatch(batch: ClaimedBatch, keep: number): Promise<void>;
  /** The batch can never be committed: its writes end failed with `error`, and the claim with it. Fenced as `recordAttempt`. */
  failBatch(batch: ClaimedBatch, error: string, now: number): Promise<void>;
  /** The last failure of a repository's flusher (null clears it), for `/status`. */
  noteError(repoId: number, error: string | null): Promise<void>;
  status(repoId: number): Promise<WriteQueueStatus>;
  /**
   * Remembers a repository's name (`owner/name`) with its write state, so that its writes stay findable
   * by name once its mirror is gone. Made durable by the next synced commit.
   */
  nameRepo(repoId: number, fullName: string): Promise<void>;
  /** The repository of that name (case-insensitive) that has written, the newest if several did; null if none. */
  repoIdByName(fullName: string): Promise<number | null>;
  /** Forgets finished writes older than `before`; returns how many. */
  prune(before: number, now: number): Promise<number>;
}
