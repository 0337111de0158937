import { nextTurn } from "../../next-turn.js";
import type {
  BatchLimits,
  EnqueueResult,
  NewWrite,
  WriteBatch,
  WriteCondition,
  WriteOp,
  WriteQueueStatus,
  WriteRecord,
  WriteStatus,
  WriteStore,
} from "../write-store.js";
import { type SqliteDatabase, withoutDiskSync } from "./open-database.js";

interface WriteRow {
  seq: number;
  id: string;
  repo_id: number;
  branch: string;
  collection: string;
  record_id: string;
  path: string;
  op: WriteOp;
  user: string;
  actor: string;
  content: Buffer | null;
  sha: string | null;
  status: WriteStatus;
  batch_id: string | null;
  commit_sha: string | null;
  error: string | null;
  accepted_at: number;
  finished_at: number | null;
}

interface BatchRow {
  id: string;
  repo_id: number;
  branch: string;
  base_sha: string | null;
  attempts: number;
}

const WRITE_COLUMNS = `seq, id, repo_id, branch, collection, record_id, path, op, user, actor, content, sha, status, batch_id, commit_sha, error, accepted_at, finished_at`;

// Pending writes always overlay; committed ones only until the mirror holds them (overlay_until).
const OVERLAID = `in_overlay = 1 AND (overlay_until IS NULL OR overlay_until >= @now)`;

const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

function toRecord(row: WriteRow): WriteRecord {
  return {
    seq: row.seq,
    id: row.id,
    repoId: row.repo_id,
    branch: row.branch,
    collection: row.collection,
    recordId: row.record_id,
    path: row.path,
    op: row.op,
    user: row.user,
    actor: row.actor,
    content: row.content,
    sha: row.sha,
    status: row.status,
    batchId: row.batch_id,
    commitSha: row.commit_sha,
    error: row.error,
    acceptedAt: row.accepted_at,
    finishedAt: row.finished_at,
  };
}

/** The current blob sha of a record, null when it does not exist: its newest overlaid write, else the mirror. */
function currentSha(overlay: WriteRow | undefined, mirrored: { sha: string } | undefined): string | null {
  if (overlay) return overlay.op === "delete" ? null : overlay.sha;
  return mirrored?.sha ?? null;
}

function violated(condition: WriteCondition, sha: string | null): "exists" | "missing" | "changed" | undefined {
  if (condition.exists === false && sha !== null) return "exists";
  if (condition.exists === true && sha === null) return "missing";
  if (condition.sha !== undefined && condition.sha !== sha) return sha === null ? "missing" : "changed";
  return undefined;
}

interface PendingEnqueue {
  write: NewWrite;
  condition: WriteCondition;
  now: number;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

/** Writes committed in one transaction at most; more wait for the next turn. */
const MAX_GROUP = 500;

/**
 * Writes a batch takes per step when it is formed, read back and completed, each step in its own
 * transaction and turn of the event loop: about a millisecond, so acknowledgements arriving meanwhile
 * never wait long behind a 1,000-write batch.
 */
const ROWS_PER_STEP = 100;

/** The queued writes (oldest first) a batch takes: once one write of a path does not fit, none of its later ones may, so they stay in order. */
function chooseBatch(queued: ReadonlyArray<{ seq: number; path: string; bytes: number | null }>, limits: BatchLimits): number[] {
  const paths = new Set<string>();
  const held = new Set<string>();
  const chosen: number[] = [];
  let bytes = 0;
  for (const write of queued) {
    if (held.has(write.path)) continue;
    const size = write.bytes ?? 0;
    const fits = chosen.length === 0 || bytes + size <= limits.maxBytes;
    const room = paths.has(write.path) || paths.size < limits.maxPaths;
    if (!fits || !room) {
      held.add(write.path);
      continue;
    }
    paths.add(write.path);
    chosen.push(write.seq);
    bytes += size;
  }
  return chosen;
}

export class SqliteWriteStore implements WriteStore {
  readonly #db: SqliteDatabase;
  readonly #s;
  #group: PendingEnqueue[] = [];

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#s = {
      insert: db.prepare(
        `INSERT INTO writes (id, repo_id, branch, collection, record_id, path, op, user, actor, content, sha, status, accepted_at)
         VALUES (@id, @repoId, @branch, @collection, @recordId, @path, @op, @user, @actor, @content, @sha, 'queued', @acceptedAt)`,
      ),
      byId: db.prepare<[string], WriteRow>(`SELECT ${WRITE_COLUMNS} FROM writes WHERE id = ?`),
      bySeq: db.prepare<[number | bigint], WriteRow>(`SELECT ${WRITE_COLUMNS} FROM writes WHERE seq = ?`),
      overlayAt: db.prepare<{ repoId: number; path: string; now: number }, WriteRow>(
        `SELECT ${WRITE_COLUMNS} FROM writes WHERE repo_id = @repoId AND path = @path AND ${OVERLAID} ORDER BY seq DESC LIMIT 1`,
      ),
      overlayUnder: db.prepare<{ repoId: number; from: string; to: string; now: number }, WriteRow>(
        `SELECT ${WRITE_COLUMNS} FROM writes WHERE seq IN (
           SELECT max(seq) FROM writes
           WHERE repo_id = @repoId AND path >= @from AND path < @to AND ${OVERLAID}
           GROUP BY path)
         ORDER BY path`,
      ),
      mirrorSha: db.prepare<[number, string], { sha: string }>(`SELECT sha FROM files WHERE repo_id = ? AND path = ?`),
      pendingRepos: db.prepare<[], { repo_id: number }>(
        `SELECT DISTINCT repo_id FROM writes WHERE status IN ('queued', 'committing') ORDER BY repo_id`,
      ),
      openBatch: db.prepare<[number], BatchRow>(
        `SELECT id, repo_id, branch, base_sha, attempts FROM write_batches WHERE repo_id = ? AND status = 'committing' ORDER BY created_at LIMIT 1`,
      ),
      batchWritesAfter: db.prepare<[string, number, number], WriteRow>(
        `SELECT ${WRITE_COLUMNS} FROM writes WHERE batch_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      oldestQueued: db.prepare<[number], { branch: string; accepted_at: number }>(
        `SELECT branch, accepted_at FROM writes WHERE repo_id = ? AND status = 'queued' ORDER BY seq LIMIT 1`,
      ),
      queued: db.prepare<[number, string, number], { seq: number; path: string; bytes: number | null }>(
        `SELECT seq, path, length(content) AS bytes FROM writes WHERE repo_id = ? AND status = 'queued' AND branch = ? ORDER BY seq LIMIT ?`,
      ),
      insertBatch: db.prepare(`INSERT INTO write_batches (id, repo_id, branch, status, created_at) VALUES (?, ?, ?, 'committing', ?)`),
      assign: db.prepare<[string, number]>(`UPDATE writes SET status = 'committing', batch_id = ? WHERE seq = ?`),
      attempt: db.prepare<[string | null, string]>(
        `UPDATE write_batches SET attempts = attempts + 1, base_sha = coalesce(base_sha, ?) WHERE id = ?`,
      ),
      batchRepo: db.prepare<[string], { repo_id: number }>(`SELECT repo_id FROM write_batches WHERE id = ?`),
      closeBatch: db.prepare<{ id: string; status: string; commit: string | null; now: number }>(
        `UPDATE write_batches SET status = @status, commit_sha = @commit, finished_at = @now WHERE id = @id`,
      ),
      commitWrites: db.prepare<{ id: string; commit: string | null; now: number; until: number | null; overlay: number; limit: number }>(
        `UPDATE writes SET status = 'committed', commit_sha = @commit, finished_at = @now, in_overlay = @overlay, overlay_until = @until
         WHERE seq IN (SELECT seq FROM writes WHERE batch_id = @id AND status = 'committing' ORDER BY seq LIMIT @limit)`,
      ),
      requeueAfter: db.prepare<{ id: string; keep: number }>(
        `UPDATE writes SET status = 'queued', batch_id = NULL
         WHERE batch_id = @id AND status = 'committing' AND seq NOT IN (SELECT seq FROM writes WHERE batch_id = @id ORDER BY seq LIMIT @keep)`,
      ),
      failWrites: db.prepare<{ id: string; error: string; now: number }>(
        `UPDATE writes SET status = 'failed', error = @error, finished_at = @now, in_overlay = 0 WHERE batch_id = @id`,
      ),
      noteCommit: db.prepare<{ repoId: number; commit: string; now: number }>(
        `INSERT INTO write_state (repo_id, last_commit, last_commit_at, last_error) VALUES (@repoId, @commit, @now, NULL)
         ON CONFLICT (repo_id) DO UPDATE SET last_commit = excluded.last_commit, last_commit_at = excluded.last_commit_at, last_error = NULL`,
      ),
      noteError: db.prepare<{ repoId: number; error: string | null }>(
        `INSERT INTO write_state (repo_id, last_error) VALUES (@repoId, @error)
         ON CONFLICT (repo_id) DO UPDATE SET last_error = excluded.last_error`,
      ),
      nameRepo: db.prepare<{ repoId: number; name: string }>(
        `INSERT INTO write_state (repo_id, full_name_lc) VALUES (@repoId, @name)
         ON CONFLICT (repo_id) DO UPDATE SET full_name_lc = excluded.full_name_lc WHERE full_name_lc IS NOT excluded.full_name_lc`,
      ),
      repoByName: db.prepare<[string], { repo_id: number }>(
        `SELECT repo_id FROM write_state WHERE full_name_lc = ? ORDER BY repo_id DESC LIMIT 1`,
      ),
      state: db.prepare<[number], { last_commit: string | null; last_commit_at: number | null; last_error: string | null }>(
        `SELECT last_commit, last_commit_at, last_error FROM write_state WHERE repo_id = ?`,
      ),
      pendingCount: db.prepare<[number], { n: number }>(
        `SELECT count(*) AS n FROM writes WHERE repo_id = ? AND status IN ('queued', 'committing')`,
      ),
      expireOverlay: db.prepare<[number]>(`UPDATE writes SET in_overlay = 0 WHERE in_overlay = 1 AND overlay_until < ?`),
      pruneWrites: db.prepare<[number]>(`DELETE FROM writes WHERE finished_at IS NOT NULL AND finished_at < ? AND in_overlay = 0`),
      pruneBatches: db.prepare<[number]>(`DELETE FROM write_batches WHERE finished_at IS NOT NULL AND finished_at < ?`),
    };
  }

  /**
   * Group commit: writes accepted in the same turn of the event loop share one transaction, so one
   * fsync acknowledges them all. Each is still checked after the ones before it, in its own savepoint.
   */
  enqueue(write: NewWrite, condition: WriteCondition, now: number): Promise<EnqueueResult> {
    return new Promise((resolve, reject) => {
      this.#group.push({ write, condition, now, resolve, reject });
      if (this.#group.length === 1) setImmediate(() => this.#commitGroup());
    });
  }

  #commitGroup(): void {
    const group = this.#group.splice(0, MAX_GROUP);
    if (this.#group.length > 0) setImmediate(() => this.#commitGroup());
    const outcomes: Array<{ result: EnqueueResult } | { error: unknown }> = [];
    try {
      this.#db.transaction(() => {
        for (const item of group) {
          try {
            outcomes.push({ result: this.#enqueueOne(item.write, item.condition, item.now) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the group is durable.
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if ("result" in outcome) item.resolve(outcome.result);
      else item.reject(outcome.error);
    });
  }

  #enqueueOne(write: NewWrite, condition: WriteCondition, now: number): EnqueueResult {
    const s = this.#s;
    // A nested transaction is a savepoint: a write that fails rolls back alone.
    return this.#db.transaction((): EnqueueResult => {
      const overlay = s.overlayAt.get({ repoId: write.repoId, path: write.path, now });
      const sha = currentSha(overlay, s.mirrorSha.get(write.repoId, write.path));
      const reason = violated(condition, sha);
      if (reason) return { ok: false, reason, currentSha: sha };
      const { lastInsertRowid } = s.insert.run(write);
      return { ok: true, write: toRecord(s.bySeq.get(lastInsertRowid)!), existed: sha !== null };
    })();
  }

  async getWrite(id: string): Promise<WriteRecord | null> {
    const row = this.#s.byId.get(id);
    return row ? toRecord(row) : null;
  }

  async overlayAt(repoId: number, path: string, now: number): Promise<WriteRecord | null> {
    const row = this.#s.overlayAt.get({ repoId, path, now });
    return row ? toRecord(row) : null;
  }

  async overlayUnder(repoId: number, prefix: string, now: number): Promise<WriteRecord[]> {
    return this.#s.overlayUnder.all({ repoId, from: prefix, to: prefixEnd(prefix), now }).map(toRecord);
  }

  async pendingRepos(): Promise<number[]> {
    return this.#s.pendingRepos.all().map((row) => row.repo_id);
  }

  async nextBatch(repoId: number, limits: BatchLimits, newBatchId: string, now: number): Promise<WriteBatch | null> {
    const s = this.#s;
    const open = s.openBatch.get(repoId);
    if (open) return this.#batch(open);
    const oldest = s.oldestQueued.get(repoId);
    if (!oldest) return null;
    const chosen = chooseBatch(s.queued.all(repoId, oldest.branch, limits.maxWrites), limits);
    // In steps, oldest first: a crash between two leaves a smaller batch of the oldest writes, still in order.
    for (let start = 0; start < chosen.length; start += ROWS_PER_STEP) {
      if (start > 0) await nextTurn();
      // Durable with the attempt recorded before anything is sent (recordAttempt commits with a sync).
      withoutDiskSync(this.#db, () =>
        this.#db.transaction(() => {
          if (start === 0) s.insertBatch.run(newBatchId, repoId, oldest.branch, now);
          for (const seq of chosen.slice(start, start + ROWS_PER_STEP)) s.assign.run(newBatchId, seq);
        })(),
      );
    }
    return this.#batch({ id: newBatchId, repo_id: repoId, branch: oldest.branch, base_sha: null, attempts: 0 });
  }

  async #batch(row: BatchRow): Promise<WriteBatch> {
    const writes: WriteRecord[] = [];
    for (let after = 0; ; await nextTurn()) {
      const rows = this.#s.batchWritesAfter.all(row.id, after, ROWS_PER_STEP);
      writes.push(...rows.map(toRecord));
      if (rows.length < ROWS_PER_STEP) break;
      after = rows[rows.length - 1]!.seq;
    }
    return { id: row.id, repoId: row.repo_id, branch: row.branch, baseSha: row.base_sha, attempts: row.attempts, writes };
  }

  async recordAttempt(batchId: string, expectedHead: string | null): Promise<void> {
    this.#s.attempt.run(expectedHead, batchId);
  }

  /**
   * The writes are marked in steps, a turn each, and the batch is closed with the last: a crash between
   * two leaves it `committing`, so its resumption looks its commit up by the trailers (it is already on
   * the branch) and completes it, never sending it again.
   */
  async completeBatch(batchId: string, commitSha: string | null, now: number, overlayUntil?: number): Promise<void> {
    const s = this.#s;
    const marks = { id: batchId, commit: commitSha, now, until: overlayUntil ?? null, overlay: overlayUntil === undefined ? 0 : 1 };
    for (;;) {
      const marked = withoutDiskSync(this.#db, () => s.commitWrites.run({ ...marks, limit: ROWS_PER_STEP }).changes);
      if (marked < ROWS_PER_STEP) break;
      await nextTurn();
    }
    this.#db.transaction(() => {
      const batch = s.batchRepo.get(batchId);
      if (!batch) return;
      s.closeBatch.run({ id: batchId, status: "committed", commit: commitSha, now });
      // Without a commit of ours, the last one stays the last; the flusher's error is over all the same.
      if (commitSha === null) s.noteError.run({ repoId: batch.repo_id, error: null });
      else s.noteCommit.run({ repoId: batch.repo_id, commit: commitSha, now });
    })();
  }

  async shrinkBatch(batchId: string, keep: number): Promise<void> {
    this.#s.requeueAfter.run({ id: batchId, keep });
  }

  async failBatch(batchId: string, error: string, now: number): Promise<void> {
    const s = this.#s;
    this.#db.transaction(() => {
      const batch = s.batchRepo.get(batchId);
      if (!batch) return;
      s.closeBatch.run({ id: batchId, status: "failed", commit: null, now });
      s.failWrites.run({ id: batchId, error, now });
      s.noteError.run({ repoId: batch.repo_id, error });
    })();
  }

  async noteError(repoId: number, error: string | null): Promise<void> {
    // A status note for /status: the next synced commit carries it to disk.
    withoutDiskSync(this.#db, () => this.#s.noteError.run({ repoId, error }));
  }

  async status(repoId: number): Promise<WriteQueueStatus> {
    const state = this.#s.state.get(repoId);
    return {
      pendingWrites: this.#s.pendingCount.get(repoId)!.n,
      oldestQueuedAt: this.#s.oldestQueued.get(repoId)?.accepted_at ?? null,
      lastCommit: state?.last_commit ?? null,
      lastCommitAt: state?.last_commit_at ?? null,
      lastError: state?.last_error ?? null,
    };
  }

  async nameRepo(repoId: number, fullName: string): Promise<void> {
    withoutDiskSync(this.#db, () => this.#s.nameRepo.run({ repoId, name: fullName.toLowerCase() }));
  }

  async repoIdByName(fullName: string): Promise<number | null> {
    return this.#s.repoByName.get(fullName.toLowerCase())?.repo_id ?? null;
  }

  async prune(before: number, now: number): Promise<number> {
    const s = this.#s;
    return this.#db.transaction(() => {
      s.expireOverlay.run(now);
      s.pruneBatches.run(before);
      return s.pruneWrites.run(before).changes;
    })();
  }
}
