import { KEY_TOUCH_INTERVAL_MS, type KeyStore, type NewSiteKey, type SiteKeyInfo } from "../key-store.js";
import { type SqliteDatabase, withoutDiskSync } from "./open-database.js";

interface KeyRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** The repository keys in the embedded store. */
export class SqliteKeyStore implements KeyStore {
  readonly #db: SqliteDatabase;
  readonly #s;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    // Prepared once: every request made with a site key looks its key up and may record its use.
    this.#s = {
      insert: db.prepare<[string, number, string, string, number]>(
        "INSERT INTO site_keys (id, repo_id, name, hash, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      list: db.prepare<[number], KeyRow>(
        "SELECT id, name, created_at, last_used_at FROM site_keys WHERE repo_id = ? ORDER BY created_at, id",
      ),
      revoke: db.prepare<[number, string]>("DELETE FROM site_keys WHERE repo_id = ? AND id = ?"),
      byHash: db.prepare<[string], { id: string; repo_id: number }>("SELECT id, repo_id FROM site_keys WHERE hash = ?"),
      touch: db.prepare<[number, string, number]>(
        "UPDATE site_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)",
      ),
    };
  }

  async createKey(key: NewSiteKey): Promise<void> {
    this.#s.insert.run(key.id, key.repoId, key.name, key.hash, key.createdAt);
  }

  async listKeys(repoId: number): Promise<SiteKeyInfo[]> {
    return this.#s.list.all(repoId).map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }

  async revokeKey(repoId: number, id: string): Promise<boolean> {
    return this.#s.revoke.run(repoId, id).changes > 0;
  }

  async findKeyByHash(hash: string): Promise<{ id: string; repoId: number } | null> {
    const row = this.#s.byHash.get(hash);
    return row ? { id: row.id, repoId: row.repo_id } : null;
  }

  async touchKey(id: string, now: number): Promise<void> {
    // A status note for the key list, on a request's path: the next synced commit carries it to disk.
    withoutDiskSync(this.#db, () => this.#s.touch.run(now, id, now - KEY_TOUCH_INTERVAL_MS));
  }
}
