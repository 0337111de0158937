import { ClaimLostError } from "../claim-lost-error.js";
import { chooseBatch, currentSha, type QueuedWrite, violated } from "../write-policy.js";
import type {
  BatchClaim,
  BatchLimits,
  ClaimedBatch,
  EnqueueResult,
  NewWrite,
  WriteBatch,
  WriteCondition,
  WriteQueueStatus,
  WriteRecord,
  WriteStore,
} from "../write-store.js";
import type { SqlClient, SqlQueryable } from "./sql-client.js";
import { asNullableNumber, asNumber, prefixEnd } from "./sql-values.js";
import { toWriteRecord, WRITE_COLUMNS, type WriteRow } from "./write-row.js";

type Int8 = number | string;

interface BatchRow {
  id: string;
  repo_id: Int8;
  branch: string;
  base_sha: string | null;
  attempts: number;
  owner: string | null;
  lease_until: Int8;
}

// Pending writes always overlay; committed ones only until the mirror holds them (overlay_until).
const OVERLAID = "in_overlay AND (overlay_until IS NULL OR overlay_until >= $3)";

/**
 * Transaction-scoped advisory locks, one key space per kind of work, hashed to PostgreSQL's 64-bit lock
 * key (a collision only makes two unrelated callers wait for each other).
 */
const lockKey = (kind: "record" | "batch", repoId: number, path = "") => `gitdisk.${kind}:${repoId}/${path}`;

async function lock(tx: SqlQueryable, key: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
}

/**
 * The write queue in PostgreSQL, shared by any number of processes.
 *
 * Record writes are linearisable per (repository, path) by an advisory lock on the pair, held from the
 * check to the commit of the insert: READ COMMITTED then shows each enqueue every write committed before
 * it took the lock. A lock rather than SERIALIZABLE with retry: enqueues of one record wait for each
 * other instead of failing and starting again, and writes to different records never conflict.
 * Claiming a batch takes the same kind of lock on the repository, so two owners never both form or take one.
 */
export class PostgresWriteStore implements WriteStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async enqueue(write: NewWrite, condition: WriteCondition, now: number): Promise<EnqueueResult> {
    return this.#sql.transaction(async (tx) => {
      await lock(tx, lockKey("record", write.repoId, write.path));
      const overlay = await overlayAt(tx, write.repoId, write.path, now);
      const mirrored = await tx.query<{ sha: string }>("SELECT sha FROM files WHERE repo_id = $1 AND path = $2", [
        write.repoId,
        write.path,
      ]);
      const sha = currentSha(overlay ?? undefined, mirrored.rows[0]);
      const reason = violated(condition, sha);
      if (reason) return { ok: false, reason, currentSha: sha };
      const { rows } = await tx.query<WriteRow>(
        `INSERT INTO writes (id, repo_id, branch, collection, record_id, path, op, user_login, actor, content, sha, status, accepted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', $12) RETURNING ${WRITE_COLUMNS}`,
        [
          write.id,
          write.repoId,
          write.branch,
          write.collection,
          write.recordId,
          write.path,
          write.op,
          write.user,
          write.actor,
          write.content,
          write.sha,
          write.acceptedAt,
        ],
      );
      return { ok: true, write: toWriteRecord(rows[0]!), existed: sha !== null };
    });
  }

  async getWrite(id: string): Promise<WriteRecord | null> {
    const { rows } = await this.#sql.query<WriteRow>(`SELECT ${WRITE_COLUMNS} FROM writes WHERE id = $1`, [id]);
    return rows[0] ? toWriteRecord(rows[0]) : null;
  }

  overlayAt(repoId: number, path: string, now: number): Promise<WriteRecord | null> {
    return overlayAt(this.#sql, repoId, path, now);
  }

  async overlayUnder(repoId: number, prefix: string, now: number): Promise<WriteRecord[]> {
    const { rows } = await this.#sql.query<WriteRow>(
      `SELECT DISTINCT ON (path) ${WRITE_COLUMNS} FROM writes
       WHERE repo_id = $1 AND path >= $2 AND path < $4 AND ${OVERLAID}
       ORDER BY path, seq DESC`,
      [repoId, prefix, now, prefixEnd(prefix)],
    );
    return rows.map(toWriteRecord);
  }

  async pendingRepos(): Promise<number[]> {
    const { rows } = await this.#sql.query<{ repo_id: Int8 }>(
      "SELECT DISTINCT repo_id FROM writes WHERE status IN ('queued', 'committing') ORDER BY repo_id",
    );
    return rows.map((row) => asNumber(row.repo_id));
  }

  async claimBatch(repoId: number, claim: BatchClaim, limits: BatchLimits, newBatchId: string, now: number): Promise<WriteBatch | null> {
    return this.#sql.transaction(async (tx) => {
      await lock(tx, lockKey("batch", repoId));
      const open = await tx.query<BatchRow>(
        `SELECT id, repo_id, branch, base_sha, attempts, owner, lease_until FROM write_batches
         WHERE repo_id = $1 AND status = 'committing' ORDER BY created_at LIMIT 1`,
        [repoId],
      );
      const batch = open.rows[0] ?? (await formBatch(tx, repoId, limits, newBatchId, now));
      if (!batch) return null;
      if (batch.owner !== null && batch.owner !== claim.owner && asNumber(batch.lease_until) > now) return null;
      await tx.query("UPDATE write_batches SET owner = $2, lease_until = $3, lease_ms = $4 WHERE id = $1", [
        batch.id,
        claim.owner,
        now + claim.leaseMs,
        claim.leaseMs,
      ]);
      return toBatch(tx, { ...batch, owner: claim.owner });
    });
  }

  async recordAttempt(batch: ClaimedBatch, expectedHead: string | null, now: number): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      await holdClaim(tx, batch);
      await tx.query(
        `UPDATE write_batches SET attempts = attempts + 1, base_sha = coalesce(base_sha, $2), lease_until = $3 + lease_ms WHERE id = $1`,
        [batch.id, expectedHead, now],
      );
    });
  }

  async completeBatch(batch: ClaimedBatch, commitSha: string | null, now: number, overlayUntil?: number): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      const repoId = await holdClaim(tx, batch);
      await tx.query(
        `UPDATE writes SET status = 'committed', commit_sha = $2, finished_at = $3, in_overlay = $4, overlay_until = $5
         WHERE batch_id = $1 AND status = 'committing'`,
        [batch.id, commitSha, now, overlayUntil !== undefined, overlayUntil ?? null],
      );
      await tx.query("UPDATE write_batches SET status = 'committed', commit_sha = $2, finished_at = $3 WHERE id = $1", [
        batch.id,
        commitSha,
        now,
      ]);
      // Without a commit of ours, the last one stays the last; the flusher's error is over all the same.
      if (commitSha === null) await noteError(tx, repoId, null);
      else {
        await tx.query(
          `INSERT INTO write_state (repo_id, last_commit, last_commit_at, last_error) VALUES ($1, $2, $3, NULL)
           ON CONFLICT (repo_id) DO UPDATE SET last_commit = excluded.last_commit, last_commit_at = excluded.last_commit_at, last_error = NULL`,
          [repoId, commitSha, now],
        );
      }
    });
  }

  async shrinkBatch(batch: ClaimedBatch, keep: number): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      await holdClaim(tx, batch);
      await tx.query(
        `UPDATE writes SET status = 'queued', batch_id = NULL
         WHERE batch_id = $1 AND status = 'committing' AND seq NOT IN (SELECT seq FROM writes WHERE batch_id = $1 ORDER BY seq LIMIT $2)`,
        [batch.id, keep],
      );
    });
  }

  async failBatch(batch: ClaimedBatch, error: string, now: number): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      const repoId = await holdClaim(tx, batch);
      await tx.query("UPDATE write_batches SET status = 'failed', finished_at = $2 WHERE id = $1", [batch.id, now]);
      await tx.query("UPDATE writes SET status = 'failed', error = $2, finished_at = $3, in_overlay = false WHERE batch_id = $1", [
        batch.id,
        error,
        now,
      ]);
      await noteError(tx, repoId, error);
    });
  }

  async noteError(repoId: number, error: string | null): Promise<void> {
    await noteError(this.#sql, repoId, error);
  }

  async status(repoId: number): Promise<WriteQueueStatus> {
    const { rows } = await this.#sql.query<{
      pending: Int8;
      oldest: Int8 | null;
      last_commit: string | null;
      last_commit_at: Int8 | null;
      last_error: string | null;
    }>(
      `SELECT
         (SELECT count(*) FROM writes WHERE repo_id = $1 AND status IN ('queued', 'committing')) AS pending,
         (SELECT accepted_at FROM writes WHERE repo_id = $1 AND status = 'queued' ORDER BY seq LIMIT 1) AS oldest,
         s.last_commit, s.last_commit_at, s.last_error
       FROM (SELECT 1) AS one LEFT JOIN write_state s ON s.repo_id = $1`,
      [repoId],
    );
    const row = rows[0]!;
    return {
      pendingWrites: asNumber(row.pending),
      oldestQueuedAt: asNullableNumber(row.oldest),
      lastCommit: row.last_commit,
      lastCommitAt: asNullableNumber(row.last_commit_at),
      lastError: row.last_error,
    };
  }

  async nameRepo(repoId: number, fullName: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO write_state (repo_id, full_name_lc) VALUES ($1, $2)
       ON CONFLICT (repo_id) DO UPDATE SET full_name_lc = excluded.full_name_lc
       WHERE write_state.full_name_lc IS DISTINCT FROM excluded.full_name_lc`,
      [repoId, fullName.toLowerCase()],
    );
  }

  async repoIdByName(fullName: string): Promise<number | null> {
    const { rows } = await this.#sql.query<{ repo_id: Int8 }>(
      "SELECT repo_id FROM write_state WHERE full_name_lc = $1 ORDER BY repo_id DESC LIMIT 1",
      [fullName.toLowerCase()],
    );
    return rows[0] ? asNumber(rows[0].repo_id) : null;
  }

  async prune(before: number, now: number): Promise<number> {
    return this.#sql.transaction(async (tx) => {
      await tx.query("UPDATE writes SET in_overlay = false WHERE in_overlay AND overlay_until < $1", [now]);
      await tx.query("DELETE FROM write_batches WHERE finished_at IS NOT NULL AND finished_at < $1", [before]);
      const pruned = await tx.query("DELETE FROM writes WHERE finished_at IS NOT NULL AND finished_at < $1 AND NOT in_overlay", [before]);
      return pruned.rowCount;
    });
  }
}

async function overlayAt(sql: SqlQueryable, repoId: number, path: string, now: number): Promise<WriteRecord | null> {
  const { rows } = await sql.query<WriteRow>(
    `SELECT ${WRITE_COLUMNS} FROM writes WHERE repo_id = $1 AND path = $2 AND ${OVERLAID} ORDER BY seq DESC LIMIT 1`,
    [repoId, path, now],
  );
  return rows[0] ? toWriteRecord(rows[0]) : null;
}

async function noteError(sql: SqlQueryable, repoId: number, error: string | null): Promise<void> {
  await sql.query(
    `INSERT INTO write_state (repo_id, last_error) VALUES ($1, $2)
     ON CONFLICT (repo_id) DO UPDATE SET last_error = excluded.last_error`,
    [repoId, error],
  );
}

/** A new batch of the repository's oldest queued writes (on the branch of the oldest), or null when none is queued. */
async function formBatch(tx: SqlQueryable, repoId: number, limits: BatchLimits, id: string, now: number): Promise<BatchRow | null> {
  const oldest = await tx.query<{ branch: string }>(
    "SELECT branch FROM writes WHERE repo_id = $1 AND status = 'queued' ORDER BY seq LIMIT 1",
    [repoId],
  );
  const branch = oldest.rows[0]?.branch;
  if (branch === undefined) return null;
  const queued = await tx.query<{ seq: Int8; path: string; bytes: number | null }>(
    `SELECT seq, path, octet_length(content) AS bytes FROM writes
     WHERE repo_id = $1 AND status = 'queued' AND branch = $2 ORDER BY seq LIMIT $3`,
    [repoId, branch, limits.maxWrites],
  );
  const chosen = chooseBatch(
    queued.rows.map((row): QueuedWrite => ({ seq: asNumber(row.seq), path: row.path, bytes: row.bytes })),
    limits,
  );
  await tx.query("INSERT INTO write_batches (id, repo_id, branch, status, created_at) VALUES ($1, $2, $3, 'committing', $4)", [
    id,
    repoId,
    branch,
    now,
  ]);
  await tx.query("UPDATE writes SET status = 'committing', batch_id = $1 WHERE seq = ANY($2::bigint[])", [id, chosen]);
  return { id, repo_id: repoId, branch, base_sha: null, attempts: 0, owner: null, lease_until: 0 };
}

async function toBatch(tx: SqlQueryable, row: BatchRow & { owner: string }): Promise<WriteBatch> {
  const { rows } = await tx.query<WriteRow>(`SELECT ${WRITE_COLUMNS} FROM writes WHERE batch_id = $1 ORDER BY seq`, [row.id]);
  return {
    id: row.id,
    repoId: asNumber(row.repo_id),
    branch: row.branch,
    owner: row.owner,
    baseSha: row.base_sha,
    attempts: row.attempts,
    writes: rows.map(toWriteRecord),
  };
}

/** The fence: the batch, locked for the transaction, must still be committing under `batch.owner`; returns its repository. */
async function holdClaim(tx: SqlQueryable, batch: ClaimedBatch): Promise<number> {
  const { rows } = await tx.query<{ repo_id: Int8 }>(
    "SELECT repo_id FROM write_batches WHERE id = $1 AND status = 'committing' AND owner = $2 FOR UPDATE",
    [batch.id, batch.owner],
  );
  if (!rows[0]) throw new ClaimLostError(batch.id, batch.owner);
  return asNumber(rows[0].repo_id);
}
