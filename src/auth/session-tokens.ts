import { type SigningSecrets, signToken, TokenError, verifyToken } from "./signed-tokens.js";
import type { VisitorSession } from "./visitor-session.js";

/** How long a session lasts: a week, after which the visitor signs in again (and admin rights are learned afresh). */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

const AUDIENCE = "gitdisk-session";
const WHAT = "the session token";

/** A three-part compact JWT (header, payload, signature), which a site key or the operator's key never looks like. */
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

export function looksLikeSessionToken(bearer: string): boolean {
  return JWT_SHAPE.test(bearer);
}

/** What a session token carries; the transport (cookie or bearer) is the request's. */
export type SessionGrant = Omit<VisitorSession, "via" | "expiresAt" | "signedInAt">;

export async function signSession(
  grant: SessionGrant,
  secrets: SigningSecrets,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  return signToken(
    { uid: grant.userId, rid: grant.repoId, adm: grant.admin },
    { audience: AUDIENCE, subject: grant.login, lifetimeSeconds: SESSION_LIFETIME_SECONDS, now },
    secrets,
  );
}

/** The session a token grants, or a TokenError: expired, bad signature, malformed, or not a session at all. */
export async function verifySession(
  token: string,
  via: VisitorSession["via"],
  secrets: SigningSecrets,
  now: number,
): Promise<VisitorSession> {
  const { sub, uid, rid, adm, exp, iat } = await verifyToken(token, AUDIENCE, secrets, now, WHAT, { remember: true });
  // Signed by us, so well-formed unless a secret was shared with something else: still checked, never trusted blindly.
  if (typeof sub !== "string" || typeof uid !== "number" || typeof rid !== "number" || typeof adm !== "boolean" || exp === undefined) {
    throw new TokenError(WHAT, "malformed");
  }
  return {
    login: sub,
    userId: uid,
    repoId: rid,
    admin: adm,
    via,
    expiresAt: exp * 1000,
    ...(iat === undefined ? {} : { signedInAt: iat * 1000 }),
  };
}
