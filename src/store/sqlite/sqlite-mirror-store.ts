import type { RepoConfig } from "../../config/repo-config.js";
import { nextTurn } from "../../next-turn.js";
import { fullNameKey, REPO_PATCH_COLUMNS, type RepoColumns, repoStateOf } from "../repo-columns.js";
import { skippedAfterChange } from "../skipped-after-change.js";
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
  type SkippedFile,
  type SnapshotQuery,
} from "../store.js";
import { type SqliteDatabase, withoutDiskSync } from "./open-database.js";

type RepoRow = RepoColumns<number, number>;

export interface SqliteMirrorStoreOptions {
  maxRepoBytes?: number;
}

/**
 * Files a change applies per turn of the event loop when it may go in steps (the write-back's own
 * commit): about a millisecond of work, so requests are served in between instead of waiting behind
 * hundreds of files.
 */
const FILES_PER_STEP = 50;

// The file count is kept up to date by applyChanges: counting the files on each lookup cost every request a table scan.
const REPO_COLUMNS = `r.*`;

const isSet = (flag: number) => flag === 1;

function toState(row: RepoRow): RepoState {
  return repoStateOf(row, Number, isSet);
}

function toColumnValue(key: keyof RepoPatch, value: unknown): unknown {
  if (key === "config") return JSON.stringify(value);
  if (key === "private") return value ? 1 : 0;
  return value ?? null;
}

/** An upsert named a blob that is not stored: the change rolls back and reports a conflict. */
class BlobMissing extends Error {}

const STATUS_ONLY = new Set<keyof RepoPatch>(["lastSyncAt", "lastError"]);

/** Prefix scans use a half-open range on the primary key instead of LIKE, which would need escaping and skip the index. */
const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

export class SqliteMirrorStore implements MirrorStore {
  readonly #db: SqliteDatabase;
  readonly #statements;
  /** Per repository: the change in steps under way, which every other change waits for. */
  readonly #applying = new Map<number, Promise<void>>();
  readonly maxRepoBytes: number;

  constructor(db: SqliteDatabase, options: SqliteMirrorStoreOptions = {}) {
    this.#db = db;
    this.maxRepoBytes = options.maxRepoBytes ?? DEFAULT_MAX_REPO_BYTES;
    this.#statements = {
      repoById: db.prepare<[number], RepoRow>(`SELECT ${REPO_COLUMNS} FROM repos r WHERE r.id = ?`),
      repoByName: db.prepare<[string], RepoRow>(`SELECT ${REPO_COLUMNS} FROM repos r WHERE r.full_name_lc = ?`),
      allRepos: db.prepare<[], RepoRow>(`SELECT ${REPO_COLUMNS} FROM repos r ORDER BY r.id`),
      insertRepo: db.prepare(
        `INSERT INTO repos (id, owner, name, full_name_lc, private, default_branch, installation_id, branch, config)
         VALUES (@id, @owner, @name, @fullName, @private, @defaultBranch, @installationId, @branch, @config)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, name = excluded.name, full_name_lc = excluded.full_name_lc,
           private = excluded.private, default_branch = excluded.default_branch, installation_id = excluded.installation_id`,
      ),
      // A repository deleted and re-created under the same name gets a new id; the old row must give way.
      dropNameClash: db.prepare<[string, number]>(`DELETE FROM repos WHERE full_name_lc = ? AND id <> ?`),
      deleteRepo: db.prepare<[number]>(`DELETE FROM repos WHERE id = ?`),
      repoSha: db.prepare<[number], { sha: string | null }>(`SELECT sha FROM repos WHERE id = ?`),
      setSha: db.prepare<[string | null, number]>(`UPDATE repos SET sha = ? WHERE id = ?`),
      upsertFile: db.prepare(
        `INSERT INTO files (repo_id, path, sha, size) VALUES (?, ?, ?, ?)
         ON CONFLICT (repo_id, path) DO UPDATE SET sha = excluded.sha, size = excluded.size`,
      ),
      deleteFile: db.prepare<[number, string], { sha: string }>(`DELETE FROM files WHERE repo_id = ? AND path = ? RETURNING sha`),
      fileSha: db.prepare<[number, string], { sha: string }>(`SELECT sha FROM files WHERE repo_id = ? AND path = ?`),
      repoShas: db.prepare<[number], { sha: string }>(`SELECT DISTINCT sha FROM files WHERE repo_id = ?`),
      hasBlob: db.prepare<[string], { present: number }>(`SELECT 1 AS present FROM blobs WHERE sha = ?`),
      insertBlob: db.prepare<[string, Buffer]>(`INSERT OR IGNORE INTO blobs (sha, content) VALUES (?, ?)`),
      getBlob: db.prepare<[string], { content: Buffer }>(`SELECT content FROM blobs WHERE sha = ?`),
      sweepBlob: db.prepare<[string, string]>(`DELETE FROM blobs WHERE sha = ? AND NOT EXISTS (SELECT 1 FROM files WHERE sha = ?)`),
      sweepAll: db.prepare(`DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.sha = blobs.sha)`),
      skipped: db.prepare<[number], { skipped: string }>(`SELECT skipped FROM repos WHERE id = ?`),
      setSkipped: db.prepare<[string, number]>(`UPDATE repos SET skipped = ? WHERE id = ?`),
      setFileCount: db.prepare<[number, number]>(`UPDATE repos SET file_count = ? WHERE id = ?`),
      addFileCount: db.prepare<[number, number]>(`UPDATE repos SET file_count = file_count + ? WHERE id = ?`),
      deleteAllFiles: db.prepare<[number]>(`DELETE FROM files WHERE repo_id = ?`),
      getFile: db.prepare<[number, string], FileBody>(
        `SELECT f.path, f.sha, f.size, b.content FROM files f JOIN blobs b ON b.sha = f.sha WHERE f.repo_id = ? AND f.path = ?`,
      ),
      getEntry: db.prepare<[number, string], FileEntry>(`SELECT path, sha, size FROM files WHERE repo_id = ? AND path = ?`),
      listAll: db.prepare<[number], FileEntry>(`SELECT path, sha, size FROM files WHERE repo_id = ? ORDER BY path`),
      listPrefix: db.prepare<[number, string, string], FileEntry>(
        `SELECT path, sha, size FROM files WHERE repo_id = ? AND path >= ? AND path < ? ORDER BY path`,
      ),
      // Paths are compared as SQLite compares them (bytewise UTF-8), so a page starts exactly where the last one ended.
      listPage: db.prepare<[number, string, string, string, number], FileEntry>(
        `SELECT path, sha, size FROM files WHERE repo_id = ? AND path >= ? AND path > ? AND path < ? ORDER BY path LIMIT ?`,
      ),
      index: db.prepare<[number], { path: string; sha: string }>(`SELECT path, sha FROM files WHERE repo_id = ?`),
      claimHeal: db.prepare<{ repoId: number; owner: string; until: number; now: number }>(
        `UPDATE repos SET heal_owner = @owner, heal_until = @until WHERE id = @repoId AND (heal_owner IS @owner OR heal_until <= @now)`,
      ),
      recordDelivery: db.prepare<[string, number]>(
        `INSERT INTO webhook_deliveries (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
      ),
      forgetDeliveriesBefore: db.prepare<[number]>(`DELETE FROM webhook_deliveries WHERE received_at < ?`),
      keepNewestDeliveries: db.prepare<[number]>(
        `DELETE FROM webhook_deliveries WHERE rowid <= (SELECT max(rowid) FROM webhook_deliveries) - ?`,
      ),
    };
    // Contents stored for a change that a crash or a failure left undone.
    this.#statements.sweepAll.run();
  }

  async upsertRepo(identity: RepoIdentity, initial: { branch: string; config: RepoConfig }): Promise<RepoState> {
    const fullName = fullNameKey(identity.owner, identity.name);
    this.#db.transaction(() => {
      this.#statements.dropNameClash.run(fullName, identity.id);
      this.#statements.insertRepo.run({
        ...identity,
        fullName,
        private: identity.private ? 1 : 0,
        branch: initial.branch,
        config: JSON.stringify(initial.config),
      });
    })();
    return toState(this.#statements.repoById.get(identity.id)!);
  }

  async getRepo(id: number): Promise<RepoState | null> {
    const row = this.#statements.repoById.get(id);
    return row ? toState(row) : null;
  }

  async findRepo(owner: string, name: string): Promise<RepoState | null> {
    const row = this.#statements.repoByName.get(fullNameKey(owner, name));
    return row ? toState(row) : null;
  }

  async listRepos(): Promise<RepoState[]> {
    return this.#statements.allRepos.all().map(toState);
  }

  async updateRepo(id: number, patch: RepoPatch): Promise<void> {
    const keys = (Object.keys(patch) as (keyof RepoPatch)[]).filter((key) => patch[key] !== undefined);
    if (keys.length === 0) return;
    const assignments = keys.map((key) => `${REPO_PATCH_COLUMNS[key]} = ?`);
    const values = keys.map((key) => toColumnValue(key, patch[key]));
    const update = this.#db.transaction(() => {
      if (patch.owner !== undefined || patch.name !== undefined) {
        const current = this.#statements.repoById.get(id);
        if (!current) return;
        const fullName = fullNameKey(patch.owner ?? current.owner, patch.name ?? current.name);
        this.#statements.dropNameClash.run(fullName, id);
        assignments.push("full_name_lc = ?");
        values.push(fullName);
      }
      this.#db.prepare(`UPDATE repos SET ${assignments.join(", ")} WHERE id = ?`).run(...values, id);
    });
    // After every sync: a status note, not worth blocking requests for a disk sync (the next synced commit carries it).
    if (keys.every((key) => STATUS_ONLY.has(key))) withoutDiskSync(this.#db, () => update());
    else update();
  }

  async deleteRepo(id: number): Promise<void> {
    const s = this.#statements;
    this.#db.transaction(() => {
      const shas = s.repoShas.all(id).map((row) => row.sha);
      s.deleteRepo.run(id);
      this.#sweep(shas);
    })();
  }

  async storeBlobs(blobs: readonly BlobContent[]): Promise<void> {
    const s = this.#statements;
    // The change naming them commits with a disk sync, which makes these durable too.
    withoutDiskSync(this.#db, () =>
      this.#db.transaction(() => {
        for (const { sha, content } of blobs) if (!s.hasBlob.get(sha)) s.insertBlob.run(sha, content);
      })(),
    );
  }

  async sweepBlobs(shas: Iterable<string>): Promise<void> {
    withoutDiskSync(this.#db, () => this.#db.transaction(() => this.#sweep(shas))());
  }

  #sweep(shas: Iterable<string>): void {
    for (const sha of new Set(shas)) this.#statements.sweepBlob.run(sha, sha);
  }

  async getBlob(sha: string): Promise<Buffer | null> {
    return this.#statements.getBlob.get(sha)?.content ?? null;
  }

  /**
   * A write-back commit (`origin: "writeback"`) of many files is applied in steps, a turn of the event
   * loop each: its writes are still overlaid, so readers cannot tell its half-applied files from what
   * they see, and better-sqlite3 would otherwise block every request for the whole change.
   */
  async applyChanges(repoId: number, change: ChangeSet): Promise<boolean> {
    // Nothing applies to a repository while a change in steps is half done: it would see its files, not its commit.
    for (let running = this.#applying.get(repoId); running; running = this.#applying.get(repoId)) await running;
    const inSteps = change.origin === "writeback" && !change.replaceAll;
    if (!inSteps || change.upserts.length + change.deletes.length <= FILES_PER_STEP) {
      return this.#applyStep(repoId, change.fromSha, change, change.toSha);
    }
    const applying = this.#applyInSteps(repoId, change);
    const settled = applying.then(
      () => undefined,
      () => undefined,
    );
    this.#applying.set(repoId, settled);
    void settled.then(() => this.#applying.delete(repoId));
    return applying;
  }

  /** Every step but the last keeps the mirror at `fromSha` and skips the disk sync: the last one's sync makes them durable with it. */
  async #applyInSteps(repoId: number, change: ChangeSet): Promise<boolean> {
    const steps: Array<Pick<ChangeSet, "upserts" | "deletes">> = [];
    for (let start = 0; start < change.deletes.length; start += FILES_PER_STEP) {
      steps.push({ upserts: [], deletes: change.deletes.slice(start, start + FILES_PER_STEP) });
    }
    for (let start = 0; start < change.upserts.length; start += FILES_PER_STEP) {
      steps.push({ upserts: change.upserts.slice(start, start + FILES_PER_STEP), deletes: [] });
    }
    const last = steps.length - 1;
    for (const [index, step] of steps.entries()) {
      if (index > 0) await nextTurn();
      const applied =
        index === last
          ? this.#applyStep(repoId, change.fromSha, step, change.toSha)
          : withoutDiskSync(this.#db, () => this.#applyStep(repoId, change.fromSha, step, undefined));
      if (!applied) return false;
    }
    return true;
  }

  /** Compare-and-set as applyChanges; `toSha` undefined leaves the mirror at its commit. */
  #applyStep(
    repoId: number,
    fromSha: string | null,
    step: Pick<ChangeSet, "upserts" | "deletes" | "replaceAll" | "skipped">,
    toSha: string | null | undefined,
  ): boolean {
    const s = this.#statements;
    const apply = this.#db.transaction(() => {
      const current = s.repoSha.get(repoId);
      if (!current) return false;
      if (fromSha !== null && current.sha !== fromSha) return false;
      // Contents no file names any more, swept at the end of the transaction.
      const released: string[] = [];
      if (step.replaceAll) {
        released.push(...s.repoShas.all(repoId).map((row) => row.sha));
        s.deleteAllFiles.run(repoId);
        s.setFileCount.run(0, repoId);
      }
      let added = 0;
      for (const path of step.deletes) {
        const removed = s.deleteFile.get(repoId, path);
        if (removed) {
          added -= 1;
          released.push(removed.sha);
        }
      }
      for (const file of step.upserts) {
        if (file.content) {
          if (!s.hasBlob.get(file.sha)) s.insertBlob.run(file.sha, file.content);
        } else if (!s.hasBlob.get(file.sha)) {
          throw new BlobMissing();
        }
        const previous = s.fileSha.get(repoId, file.path);
        if (!previous) added += 1;
        else if (previous.sha !== file.sha) released.push(previous.sha);
        s.upsertFile.run(repoId, file.path, file.sha, file.size);
      }
      if (added !== 0) s.addFileCount.run(added, repoId);
      this.#recordSkipped(repoId, step);
      if (toSha !== undefined) s.setSha.run(toSha, repoId);
      this.#sweep(released);
      return true;
    });
    try {
      return apply();
    } catch (error) {
      if (error instanceof BlobMissing) return false;
      throw error;
    }
  }

  #recordSkipped(repoId: number, step: Pick<ChangeSet, "upserts" | "deletes" | "replaceAll" | "skipped">): void {
    const s = this.#statements;
    const current =
      step.skipped !== undefined || step.replaceAll ? [] : (JSON.parse(s.skipped.get(repoId)?.skipped ?? "[]") as SkippedFile[]);
    const after = skippedAfterChange(step, current);
    if (after !== current) s.setSkipped.run(JSON.stringify(after), repoId);
  }

  async getFile(repoId: number, path: string): Promise<FileBody | null> {
    return this.#statements.getFile.get(repoId, path) ?? null;
  }

  async getFileEntry(repoId: number, path: string): Promise<FileEntry | null> {
    return this.#statements.getEntry.get(repoId, path) ?? null;
  }

  async listFiles(repoId: number, prefix = "", page?: FilePage): Promise<FileEntry[]> {
    if (page) return this.#statements.listPage.all(repoId, prefix, page.after ?? "", prefixEnd(prefix), page.limit);
    return prefix === "" ? this.#statements.listAll.all(repoId) : this.#statements.listPrefix.all(repoId, prefix, prefixEnd(prefix));
  }

  async snapshot(repoId: number, query: SnapshotQuery): Promise<MirrorSnapshot | null> {
    const s = this.#statements;
    const { prefix, accepts = () => true } = query;
    // One read transaction: no change commits between the commit read and the pages.
    return this.#db.transaction((): MirrorSnapshot | null => {
      const repo = s.repoSha.get(repoId);
      if (!repo) return null;
      if (query.limit === 0) return { sha: repo.sha, files: [], more: false };
      const files: FileEntry[] = [];
      // One more than the page, to learn whether another page follows without an empty last one.
      const batchSize = query.limit + 1;
      for (let after = query.after ?? ""; ; ) {
        const batch = s.listPage.all(repoId, prefix, after, prefixEnd(prefix), batchSize);
        files.push(...batch.filter((file) => accepts(file.path)));
        if (files.length > query.limit || batch.length < batchSize) break;
        after = batch.at(-1)!.path;
      }
      return { sha: repo.sha, files: files.slice(0, query.limit), more: files.length > query.limit };
    })();
  }

  async fileIndex(repoId: number): Promise<Map<string, string>> {
    return new Map(this.#statements.index.all(repoId).map((row) => [row.path, row.sha]));
  }

  async recordDelivery(id: string, receivedAt: number, retention: DeliveryRetention): Promise<boolean> {
    const s = this.#statements;
    // Losing the newest ids to a crash only lets a redelivery through again, which the sync engine takes as a duplicate: no disk sync.
    return withoutDiskSync(this.#db, () =>
      this.#db.transaction(() => {
        if (s.recordDelivery.run(id, receivedAt).changes === 0) return false;
        s.forgetDeliveriesBefore.run(retention.since);
        s.keepNewestDeliveries.run(retention.atMost);
        return true;
      })(),
    );
  }

  async claimHeal(repoId: number, owner: string, leaseMs: number, now: number): Promise<boolean> {
    // A lease note, not worth a disk sync: losing it to a crash only lets a heal run early.
    return withoutDiskSync(this.#db, () => this.#statements.claimHeal.run({ repoId, owner, until: now + leaseMs, now }).changes === 1);
  }
}
