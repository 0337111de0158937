import { randomBytes } from "node:crypto";
import type { Account, Installation, Permission } from "../state/world.js";

export type TokenKind = "installation" | "personal" | "user";

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  expiresAt: Date | null;
  permissions: Record<string, Permission>;
  /** Installation tokens. */
  installationId?: number;
  /** When the token was scoped down to some repositories at creation. */
  repositoryIds?: ReadonlySet<number>;
  /** Personal and user tokens. */
  user?: Account;
  scopes?: string[];
}

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** GitHub's token shape: a type prefix and 36 random alphanumerics. */
export function newTokenString(prefix: "ghs" | "ghp" | "ghu" | "ghr" | "gho"): string {
  const bytes = randomBytes(36);
  let body = "";
  for (const byte of bytes) body += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return `${prefix}_${body}`;
}

export const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
export const USER_TOKEN_LIFETIME_MS = 8 * 60 * 60 * 1000;

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenRecord>();

  issueInstallationToken(
    installation: Installation,
    permissions: Record<string, Permission>,
    now: Date,
    repositoryIds?: ReadonlySet<number>,
  ): TokenRecord {
    const record: TokenRecord = {
      token: newTokenString("ghs"),
      kind: "installation",
      expiresAt: new Date(now.getTime() + INSTALLATION_TOKEN_LIFETIME_MS),
      permissions,
      installationId: installation.id,
      ...(repositoryIds ? { repositoryIds } : {}),
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** A token that never expires, for a person (personal access tokens and the simulator's own PAT). */
  addPersonalToken(token: string, user: Account): TokenRecord {
    const record: TokenRecord = {
      token,
      kind: "personal",
      expiresAt: null,
      permissions: { contents: "write", metadata: "read" },
      user,
      scopes: ["repo"],
    };
    this.tokens.set(token, record);
    return record;
  }

  issueUserToken(user: Account, now: Date, scopes: string[]): TokenRecord {
    const record: TokenRecord = {
      token: newTokenString("ghu"),
      kind: "user",
      expiresAt: new Date(now.getTime() + USER_TOKEN_LIFETIME_MS),
      permissions: { metadata: "read" },
      user,
      scopes,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** A live token, or undefined for unknown, revoked and expired ones. */
  lookup(token: string, now: Date): TokenRecord | undefined {
    const record = this.tokens.get(token);
    if (!record) return undefined;
    if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) return undefined;
    return record;
  }

  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  revokeInstallation(installationId: number): void {
    for (const [token, record] of this.tokens) if (record.installationId === installationId) this.tokens.delete(token);
  }
}
