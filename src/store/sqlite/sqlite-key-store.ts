import { KEY_TOUCH_INTERVAL_MS, type KeyStore, type NewSiteKey, type SiteKeyInfo } from "../key-store.js";
import type { SqliteDatabase } from "./open-database.js";

interface KeyRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** The repository keys in the embedded store. */
export class SqliteKeyStore implements KeyStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async createKey(key: NewSiteKey): Promise<void> {
    this.#db
      .prepare("INSERT INTO site_keys (id, repo_id, name, hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(key.id, key.repoId, key.name, key.hash, key.createdAt);
  }

  async listKeys(repoId: number): Promise<SiteKeyInfo[]> {
    const rows = this.#db
      .prepare<[number], KeyRow>("SELECT id, name, created_at, last_used_at FROM site_keys WHERE repo_id = ? ORDER BY created_at, id")
      .all(repoId);
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }

  async revokeKey(repoId: number, id: string): Promise<boolean> {
    return this.#db.prepare("DELETE FROM site_keys WHERE repo_id = ? AND id = ?").run(repoId, id).changes > 0;
  }

  async findKeyByHash(hash: string): Promise<{ id: string; repoId: number } | null> {
    const row = this.#db.prepare<[string], { id: string; repo_id: number }>("SELECT id, repo_id FROM site_keys WHERE hash = ?").get(hash);
    return row ? { id: row.id, repoId: row.repo_id } : null;
  }

  async touchKey(id: string, now: number): Promise<void> {
    this.#db
      .prepare("UPDATE site_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)")
      .run(now, id, now - KEY_TOUCH_INTERVAL_MS);
  }
}
