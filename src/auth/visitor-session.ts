/**
 * A visitor signed in with GitHub to one repository's site, as a verified session token carries it.
 * The visitor's GitHub token is not kept: what gitdisk needs of it later (admin rights) is learned at sign-in.
 */
export interface VisitorSession {
  /** GitHub login, lower-cased as records store it (normalizeLogin). */
  login: string;
  /** GitHub's numeric user id: a login can be renamed and reused, the id cannot. */
  userId: number;
  /** The repository the session was granted for; it authorises nothing in any other. */
  repoId: number;
  /** Whether the visitor had admin rights on the repository at sign-in (may manage its site keys while fresh). */
  admin: boolean;
  /** When the visitor signed in (ms): admin rights learned then are trusted for ADMIN_FRESHNESS_MS only. */
  signedInAt?: number;
  /** How the request presented it: a cookie needs its Origin checked on writes, a bearer does not. */
  via: "cookie" | "bearer";
  /** When the token stops being accepted (ms since the epoch); set by verification, for `/v1/auth/me`. */
  expiresAt?: number;
}

/**
 * How long after sign-in a session's admin rights are trusted: long enough to manage keys, short enough that
 * an admin removed on GitHub cannot keep minting keys for the session's whole week.
 */
export const ADMIN_FRESHNESS_MS = 60 * 60 * 1000;

/** Whether the session may act as the repository's admin at `now`. */
export function actsAsAdmin(session: VisitorSession, now: number): boolean {
  if (!session.admin || session.signedInAt === undefined) return false;
  const age = now - session.signedInAt;
  // A sign-in time ahead of the clock is none we issued (beyond a minute of clock skew between instances).
  return age >= -60_000 && age <= ADMIN_FRESHNESS_MS;
}
