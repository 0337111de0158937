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
  /** Whether the visitor had admin rights on the repository at sign-in (may manage its site keys). */
  admin: boolean;
  /** How the request presented it: a cookie needs its Origin checked on writes, a bearer does not. */
  via: "cookie" | "bearer";
  /** When the token stops being accepted (ms since the epoch); set by verification, for `/v1/auth/me`. */
  expiresAt?: number;
}
