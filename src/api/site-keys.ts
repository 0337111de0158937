import { createHash, randomBytes } from "node:crypto";
import type { Access } from "./api-types.js";

/** Every repository site key starts so, which tells it from the operator's key at a glance. */
export const SITE_KEY_PREFIX = "gdk_";

/** A new site key: the prefix and 32 random bytes, base64url. Shown once, at creation; only its hash is kept. */
export function newSiteKey(): string {
  return `${SITE_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** A site key's id, which names it in listings and in `DELETE …/keys/{id}`; not secret. */
export function newSiteKeyId(): string {
  return randomBytes(8).toString("hex");
}

/** What the store keeps of a key: SHA-256, hex. Enough for a secret of 256 random bits (no salt or stretching needed). */
export function hashSiteKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Whether the caller holds a key for this repository: the operator's key for every repository, a
 * repository's site key for its own only. Without a repository id, only the operator's key.
 */
export function keyReaches(access: Access, repoId: number | undefined): boolean {
  return access.key || (repoId !== undefined && access.repoKey !== undefined && access.repoKey.repoId === repoId);
}
