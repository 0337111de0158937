import { randomBytes } from "node:crypto";
import { type SigningSecrets, signToken, TokenError, verifyToken } from "./signed-tokens.js";

/** How long a visitor has at GitHub's authorize page before the sign-in must start again. */
export const SIGN_IN_STATE_LIFETIME_SECONDS = 10 * 60;

const AUDIENCE = "gitdisk-sign-in-state";
const WHAT = "the sign-in state";

/**
 * What the login step hands the callback, in a signed cookie bound to the browser: the callback
 * trusts nothing from the URL but the nonce it must match.
 */
export interface SignInState {
  /** Random, sent to GitHub as `state`: GitHub returns it, and it must equal the cookie's. */
  nonce: string;
  repoId: number;
  /** `owner/name`, for messages and the permission read. */
  repo: string;
  /** Where the visitor returns, already checked against the repository's `api.origins`. */
  redirect: string;
  /** When the state expires (ms): a used nonce is remembered until then. */
  expiresAt: number;
}

export function newNonce(): string {
  return randomBytes(24).toString("base64url");
}

export async function signSignInState(
  state: Omit<SignInState, "expiresAt">,
  secrets: SigningSecrets,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  return signToken(
    { non: state.nonce, rid: state.repoId, rep: state.repo, red: state.redirect },
    { audience: AUDIENCE, lifetimeSeconds: SIGN_IN_STATE_LIFETIME_SECONDS, now },
    secrets,
  );
}

export async function verifySignInState(token: string, secrets: SigningSecrets, now: number): Promise<SignInState> {
  const { non, rid, rep, red, exp } = await verifyToken(token, AUDIENCE, secrets, now, WHAT, { remember: false });
  if (typeof non !== "string" || typeof rid !== "number" || typeof rep !== "string" || typeof red !== "string" || exp === undefined) {
    throw new TokenError(WHAT, "malformed");
  }
  return { nonce: non, repoId: rid, repo: rep, redirect: red, expiresAt: exp * 1000 };
}

/** Enough for every sign-in a busy server starts in ten minutes; beyond it the oldest are forgotten first. */
const DEFAULT_CAPACITY = 100_000;

/**
 * Nonces already used, each remembered until its state expires (after that the state itself is
 * refused), so a state replayed within its lifetime is refused too. Bounded: when full, expired
 * ones go first, then the oldest; forgetting one early only reopens a replay that GitHub's
 * single-use code refuses anyway.
 */
export class UsedNonces {
  readonly #expiries = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** True the first time a nonce is used before `expiresAt`; false if it was used already. */
  useOnce(nonce: string, expiresAt: number, now: number): boolean {
    const seen = this.#expiries.get(nonce);
    if (seen !== undefined && seen > now) return false;
    this.#expiries.delete(nonce);
    if (this.#expiries.size >= this.#capacity) this.#makeRoom(now);
    this.#expiries.set(nonce, expiresAt);
    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }

  #makeRoom(now: number): void {
    for (const [nonce, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(nonce);
    // Insertion order is age order: the first key is the oldest.
    while (this.#expiries.size >= this.#capacity) this.#expiries.delete(this.#expiries.keys().next().value!);
  }
}
