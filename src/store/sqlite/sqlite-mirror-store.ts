import type { RepoConfig } from "../../config/repo-config.js";
import type { ApplyOptions, ChangeSet, FileBody, FileEntry, FilePage, MirrorStore, RepoIdentity, RepoPatch, RepoState } from "../store.js";
import { nextTurn } from "../../next-turn.js";
import { withoutDiskSync, type SqliteDatabase } from "./open-database.js";

interface RepoRow {
  id: number;
  owner: string;
  name: string;
  private: number;
  default_branch: string;
  installation_id: number | null;
  branch: string;
  sha: string | null;
  config: string;
  config_error: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  file_count: number;
}

/** Files a change in steps applies per turn of the event loop: about a millisecond of work. */
const FILES_PER_STEP = 50;

// The file count is kept up to date by applyChanges: counting the files on each lookup cost every request a table scan.
const REPO_COLUMNS = `r.*`;

const PATCH_COLUMNS: Record<keyof RepoPatch, string> = {
  owner: "owner",
  name: "name",
  private: "private",
  defaultBranch: "default_branch",
  installationId: "installation_id",
  branch: "branch",
  config: "config",
  configError: "config_error",
  lastSyncAt: "last_sync_at",
  lastError: "last_error",
};

function toState(row: RepoRow): RepoState {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    private: row.private === 1,
    defaultBranch: row.default_branch,
    installationId: row.installation_id,
    branch: row.branch,
    sha: row.sha,
    config: JSON.parse(row.config) as RepoConfig,
    configError: row.config_error,
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    files: row.file_count,
  };
}

function toColumnValue(key: keyof RepoPatch, value: unknown): unknown {
  if (key === "config") return JSON.stringify(value);
  if (key === "private") return value ? 1 : 0;
  return value ?? null;
}

const fullNameKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();

const STATUS_ONLY = new Set<keyof RepoPatch>(["lastSyncAt", "lastError"]);

/** Prefix scans use a half-open range on the primary key instead of LIKE, which would need escaping and skip the index. */
const prefixEnd = (prefix: string) => prefix + "\u{10FFFF}";

export class SqliteMirrorStore implements MirrorStore {
  readonly #db: SqliteDatabase;
  readonly #statements;
  /** Per repository: the change in steps under way, which every other change waits for. */
  readonly #applying = new Map<number, Promise<void>>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
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
        `INSERT INTO files (repo_id, path, sha, size, content) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repo_id, path) DO UPDATE SET sha = excluded.sha, size = excluded.size, content = excluded.content`,
      ),
      deleteFile: db.prepare<[number, string]>(`DELETE FROM files WHERE repo_id = ? AND path = ?`),
      hasFile: db.prepare<[number, string], { present: number }>(`SELECT 1 AS present FROM files WHERE repo_id = ? AND path = ?`),
      setFileCount: db.prepare<[number, number]>(`UPDATE repos SET file_count = ? WHERE id = ?`),
      addFileCount: db.prepare<[number, number]>(`UPDATE repos SET file_count = file_count + ? WHERE id = ?`),
      deleteAllFiles: db.prepare<[number]>(`DELETE FROM files WHERE repo_id = ?`),
      getFile: db.prepare<[number, string], FileBody>(`SELECT path, sha, size, content FROM files WHERE repo_id = ? AND path = ?`),
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
    };
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
    const assignments = keys.map((key) => `${PATCH_COLUMNS[key]} = ?`);
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
    this.#statements.deleteRepo.run(id);
  }

  async applyChanges(repoId: number, change: ChangeSet, options: ApplyOptions = {}): Promise<boolean> {
    // Nothing applies to a repository while a change in steps is half done: it would see its files, not its commit.
    for (let running = this.#applying.get(repoId); running; running = this.#applying.get(repoId)) await running;
    if (!options.inSteps || change.replaceAll || change.upserts.length + change.deletes.length <= FILES_PER_STEP) {
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
  #applyStep(repoId: number, fromSha: string | null, step: Pick<ChangeSet, "upserts" | "deletes" | "replaceAll">, toSha: string | null | undefined): boolean {
    const s = this.#statements;
    return this.#db.transaction(() => {
      const current = s.repoSha.get(repoId);
      if (!current) return false;
      if (fromSha !== null && current.sha !== fromSha) return false;
      if (step.replaceAll) {
        s.deleteAllFiles.run(repoId);
        s.setFileCount.run(0, repoId);
      }
      let added = 0;
      for (const path of step.deletes) added -= s.deleteFile.run(repoId, path).changes;
      for (const file of step.upserts) {
        if (!s.hasFile.get(repoId, file.path)) added += 1;
        s.upsertFile.run(repoId, file.path, file.sha, file.size, file.content);
      }
      if (added !== 0) s.addFileCount.run(added, repoId);
      if (toSha !== undefined) s.setSha.run(toSha, repoId);
      return true;
    })();
  }

  async getFile(repoId: number, path: string): Promise<FileBody | null> {
    return this.#statements.getFile.get(repoId, path) ?? null;
  }

  async getFileEntry(repoId: number, path: string): Promise<FileEntry | null> {
    return this.#statements.getEntry.get(repoId, path) ?? null;
  }

  async listFiles(repoId: number, prefix = "", page?: FilePage): Promise<FileEntry[]> {
    if (page) return this.#statements.listPage.all(repoId, prefix, page.after ?? "", prefixEnd(prefix), page.limit);
    return prefix === ""
      ? this.#statements.listAll.all(repoId)
      : this.#statements.listPrefix.all(repoId, prefix, prefixEnd(prefix));
  }

  async fileIndex(repoId: number): Promise<Map<string, string>> {
    return new Map(this.#statements.index.all(repoId).map((row) => [row.path, row.sha]));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
