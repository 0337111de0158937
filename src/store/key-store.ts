/**
 * Site keys per repository: each grants, for its own repository only, what the operator's key grants.
 * Only a hash of each key is stored (SHA-256 of a high-entropy secret, made by the API), never the key.
 */

/** A key as listed: never its hash. Times are epoch milliseconds. */
export interface SiteKeyInfo {
  id: string;
  name: string;
  createdAt: number;
  /** When it last authenticated a request (recorded at most about once a minute); null if never. */
  lastUsedAt: number | null;
}

export interface NewSiteKey {
  repoId: number;
  id: string;
  name: string;
  /** Hex SHA-256 of the key. */
  hash: string;
  createdAt: number;
}

export interface KeyStore {
  createKey(key: NewSiteKey): Promise<void>;
  /** The repository's live keys, oldest first. */
  listKeys(repoId: number): Promise<SiteKeyInfo[]>;
  /** Revokes the key at once; false when the repository has no such key. */
  revokeKey(repoId: number, id: string): Promise<boolean>;
  /** The live key with this hash, or null. */
  findKeyByHash(hash: string): Promise<{ id: string; repoId: number } | null>;
  /** Records a use at `now`, unless one was recorded less than a minute before. */
  touchKey(id: string, now: number): Promise<void>;
}

/** lastUsedAt is written at most this often per key, so a busy key costs no write per request. */
export const KEY_TOUCH_INTERVAL_MS = 60_000;
