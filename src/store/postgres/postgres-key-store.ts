import { KEY_TOUCH_INTERVAL_MS, type KeyStore, type NewSiteKey, type SiteKeyInfo } from "../key-store.js";
import type { SqlClient } from "./sql-client.js";
import { asNullableNumber, asNumber } from "./sql-values.js";

type Int8 = number | string;

interface KeyRow {
  id: string;
  name: string;
  created_at: Int8;
  last_used_at: Int8 | null;
}

/** The repository keys in PostgreSQL. */
export class PostgresKeyStore implements KeyStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async createKey(key: NewSiteKey): Promise<void> {
    await this.#sql.query("INSERT INTO site_keys (id, repo_id, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)", [
      key.id,
      key.repoId,
      key.name,
      key.hash,
      key.createdAt,
    ]);
  }

  async listKeys(repoId: number): Promise<SiteKeyInfo[]> {
    const { rows } = await this.#sql.query<KeyRow>(
      "SELECT id, name, created_at, last_used_at FROM site_keys WHERE repo_id = $1 ORDER BY created_at, id",
      [repoId],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: asNumber(row.created_at),
      lastUsedAt: asNullableNumber(row.last_used_at),
    }));
  }

  async revokeKey(repoId: number, id: string): Promise<boolean> {
    const { rowCount } = await this.#sql.query("DELETE FROM site_keys WHERE repo_id = $1 AND id = $2", [repoId, id]);
    return rowCount > 0;
  }

  async findKeyByHash(hash: string): Promise<{ id: string; repoId: number } | null> {
    const { rows } = await this.#sql.query<{ id: string; repo_id: Int8 }>("SELECT id, repo_id FROM site_keys WHERE hash = $1", [hash]);
    const row = rows[0];
    return row ? { id: row.id, repoId: asNumber(row.repo_id) } : null;
  }

  async touchKey(id: string, now: number): Promise<void> {
    await this.#sql.query("UPDATE site_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)", [
      now,
      id,
      now - KEY_TOUCH_INTERVAL_MS,
    ]);
  }
}
