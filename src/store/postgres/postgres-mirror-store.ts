import type { RepoConfig } from "../../config/repo-config.js";
import { fullNameKey, REPO_PATCH_COLUMNS } from "../repo-columns.js";
import {
  type BlobContent,
  type ChangeSet,
  DEFAULT_MAX_REPO_BYTES,
  type DeliveryRetention,
  type FileBody,
  type FileEntry,
  type FilePage,
  type MirrorSnapshot,
  type MirrorStore,
  type RepoIdentity,
  type RepoPatch,
  type RepoState,
  type SnapshotQuery,
} from "../store.js";
import { applyChange, BlobMissing, insertBlobs } from "./apply-change.js";
import { type RepoRow, toColumnValue, toRepoState } from "./repo-row.js";
import type { SqlClient } from "./sql-client.js";
import { asBuffer, asNumber, FOREIGN_KEY_VIOLATION, prefixEnd, sqlState } from "./sql-values.js";
import { sweepUnnamedBlobs } from "./sweep-blobs.js";

export interface PostgresMirrorStoreOptions {
  maxRepoBytes?: number;
}

interface FileRow {
  path: string;
  sha: string;
  size: number | string;
}

/** The files under a prefix ($2, upper bound $4) that sort after $3: at most $5 of them. */
const FILE_PAGE = "SELECT path, sha, size FROM files WHERE repo_id = $1 AND path >= $2 AND path > $3 AND path < $4 ORDER BY path LIMIT $5";

const toEntry = (row: FileRow): FileEntry => ({ path: row.path, sha: row.sha, size: asNumber(row.size) });

/**
 * The mirror in PostgreSQL. Several processes may share the database: a change locks its repository's
 * row, so compare-and-set holds across them, and the foreign key from files to blobs keeps a sweep
 * from removing a content another transaction is naming. A change is one transaction, never applied
 * in steps: the server does the work, and the event loop only waits for it.
 */
export class PostgresMirrorStore implements MirrorStore {
  readonly #sql: SqlClient;
  readonly maxRepoBytes: number;

  constructor(sql: SqlClient, options: PostgresMirrorStoreOptions = {}) {
    this.#sql = sql;
    this.maxRepoBytes = options.maxRepoBytes ?? DEFAULT_MAX_REPO_BYTES;
  }

  async upsertRepo(identity: RepoIdentity, initial: { branch: string; config: RepoConfig }): Promise<RepoState> {
    const fullName = fullNameKey(identity.owner, identity.name);
    const row = await this.#sql.transaction(async (tx) => {
      // A repository deleted and re-created under the same name gets a new id; the old row must give way.
      await tx.query("DELETE FROM repos WHERE full_name_lc = $1 AND id <> $2", [fullName, identity.id]);
      const { rows } = await tx.query<RepoRow>(
        `INSERT INTO repos (id, owner, name, full_name_lc, private, default_branch, installation_id, branch, config)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, name = excluded.name, full_name_lc = excluded.full_name_lc,
           private = excluded.private, default_branch = excluded.default_branch, installation_id = excluded.installation_id
         RETURNING *`,
        [
          identity.id,
          identity.owner,
          identity.name,
          fullName,
          identity.private,
          identity.defaultBranch,
          identity.installationId,
          initial.branch,
          JSON.stringify(initial.config),
        ],
      );
      return rows[0]!;
    });
    return toRepoState(row);
  }

  async getRepo(id: number): Promise<RepoState | null> {
    const { rows } = await this.#sql.query<RepoRow>("SELECT * FROM repos WHERE id = $1", [id]);
    return rows[0] ? toRepoState(rows[0]) : null;
  }

  async findRepo(owner: string, name: string): Promise<RepoState | null> {
    const { rows } = await this.#sql.query<RepoRow>("SELECT * FROM repos WHERE full_name_lc = $1", [fullNameKey(owner, name)]);
    return rows[0] ? toRepoState(rows[0]) : null;
  }

  async listRepos(): Promise<RepoState[]> {
    const { rows } = await this.#sql.query<RepoRow>("SELECT * FROM repos ORDER BY id");
    return rows.map(toRepoState);
  }

  async updateRepo(id: number, patch: RepoPatch): Promise<void> {
    const keys = (Object.keys(patch) as (keyof RepoPatch)[]).filter((key) => patch[key] !== undefined);
    if (keys.length === 0) return;
    const values = keys.map((key) => toColumnValue(key, patch[key]));
    const assignments = keys.map((key, index) => `${REPO_PATCH_COLUMNS[key]} = $${index + 2}`);
    await this.#sql.transaction(async (tx) => {
      if (patch.owner !== undefined || patch.name !== undefined) {
        const { rows } = await tx.query<Pick<RepoRow, "owner" | "name">>("SELECT owner, name FROM repos WHERE id = $1 FOR UPDATE", [id]);
        const current = rows[0];
        if (!current) return;
        const fullName = fullNameKey(patch.owner ?? current.owner, patch.name ?? current.name);
        await tx.query("DELETE FROM repos WHERE full_name_lc = $1 AND id <> $2", [fullName, id]);
        values.push(fullName);
        assignments.push(`full_name_lc = $${values.length + 1}`);
      }
      await tx.query(`UPDATE repos SET ${assignments.join(", ")} WHERE id = $1`, [id, ...values]);
    });
  }

  async deleteRepo(id: number): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ sha: string }>("DELETE FROM files WHERE repo_id = $1 RETURNING sha", [id]);
      await tx.query("DELETE FROM repos WHERE id = $1", [id]);
      await sweepUnnamedBlobs(
        tx,
        rows.map((row) => row.sha),
      );
    });
  }

  async storeBlobs(blobs: readonly BlobContent[]): Promise<void> {
    await this.#sql.transaction((tx) => insertBlobs(tx, blobs));
  }

  async sweepBlobs(shas: Iterable<string>): Promise<void> {
    await this.#sql.transaction((tx) => sweepUnnamedBlobs(tx, shas));
  }

  async getBlob(sha: string): Promise<Buffer | null> {
    const { rows } = await this.#sql.query<{ content: Uint8Array }>("SELECT content FROM blobs WHERE sha = $1", [sha]);
    return rows[0] ? asBuffer(rows[0].content) : null;
  }

  async applyChanges(repoId: number, change: ChangeSet): Promise<boolean> {
    try {
      return await this.#sql.transaction((tx) => applyChange(tx, repoId, change));
    } catch (error) {
      // Swept by another transaction between our check and our insert: the foreign key caught it.
      if (error instanceof BlobMissing || sqlState(error) === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  async getFile(repoId: number, path: string): Promise<FileBody | null> {
    const { rows } = await this.#sql.query<FileRow & { content: Uint8Array }>(
      "SELECT f.path, f.sha, f.size, b.content FROM files f JOIN blobs b ON b.sha = f.sha WHERE f.repo_id = $1 AND f.path = $2",
      [repoId, path],
    );
    const row = rows[0];
    return row ? { ...toEntry(row), content: asBuffer(row.content) } : null;
  }

  async getFileEntry(repoId: number, path: string): Promise<FileEntry | null> {
    const { rows } = await this.#sql.query<FileRow>("SELECT path, sha, size FROM files WHERE repo_id = $1 AND path = $2", [repoId, path]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async listFiles(repoId: number, prefix = "", page?: FilePage): Promise<FileEntry[]> {
    const { rows } = page
      ? await this.#sql.query<FileRow>(FILE_PAGE, [repoId, prefix, page.after ?? "", prefixEnd(prefix), page.limit])
      : await this.#sql.query<FileRow>("SELECT path, sha, size FROM files WHERE repo_id = $1 AND path >= $2 AND path < $3 ORDER BY path", [
          repoId,
          prefix,
          prefixEnd(prefix),
        ]);
    return rows.map(toEntry);
  }

  async snapshot(repoId: number, query: SnapshotQuery): Promise<MirrorSnapshot | null> {
    const { prefix, accepts = () => true } = query;
    return this.#sql.transaction(async (tx) => {
      // Every read of the transaction sees the database as it was at the first: no change commits in between.
      await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const repo = await tx.query<{ sha: string | null }>("SELECT sha FROM repos WHERE id = $1", [repoId]);
      if (!repo.rows[0]) return null;
      const sha = repo.rows[0].sha;
      if (query.limit === 0) return { sha, files: [], more: false };
      const files: FileEntry[] = [];
      // One more than the page, to learn whether another page follows without an empty last one.
      const batchSize = query.limit + 1;
      for (let after = query.after ?? ""; ; ) {
        const { rows } = await tx.query<FileRow>(FILE_PAGE, [repoId, prefix, after, prefixEnd(prefix), batchSize]);
        files.push(...rows.filter((row) => accepts(row.path)).map(toEntry));
        if (files.length > query.limit || rows.length < batchSize) break;
        after = rows.at(-1)!.path;
      }
      return { sha, files: files.slice(0, query.limit), more: files.length > query.limit };
    });
  }

  async fileIndex(repoId: number): Promise<Map<string, string>> {
    const { rows } = await this.#sql.query<{ path: string; sha: string }>("SELECT path, sha FROM files WHERE repo_id = $1", [repoId]);
    return new Map(rows.map((row) => [row.path, row.sha]));
  }

  async recordDelivery(id: string, receivedAt: number, retention: DeliveryRetention): Promise<boolean> {
    return this.#sql.transaction(async (tx) => {
      const inserted = await tx.query("INSERT INTO webhook_deliveries (id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [
        id,
        receivedAt,
      ]);
      if (inserted.rowCount === 0) return false;
      await tx.query("DELETE FROM webhook_deliveries WHERE received_at < $1", [retention.since]);
      // By rank, not by arithmetic on `seq`: a refused insert uses up a sequence number too.
      await tx.query(
        `DELETE FROM webhook_deliveries WHERE seq <= (SELECT seq FROM webhook_deliveries ORDER BY seq DESC OFFSET $1 LIMIT 1)`,
        [retention.atMost],
      );
      return true;
    });
  }

  async claimHeal(repoId: number, owner: string, leaseMs: number, now: number): Promise<boolean> {
    // One statement: the row lock makes check and claim atomic across processes.
    const claimed = await this.#sql.query(
      "UPDATE repos SET heal_owner = $2, heal_until = $3 WHERE id = $1 AND (heal_owner IS NOT DISTINCT FROM $2 OR heal_until <= $4)",
      [repoId, owner, now + leaseMs, now],
    );
    return claimed.rowCount === 1;
  }
}
