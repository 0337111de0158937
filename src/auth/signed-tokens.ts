import { createHash, webcrypto } from "node:crypto";
import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";

/** The secret that signs, and during a rotation the one before it, which still verifies. */
export interface SigningSecrets {
  current: string;
  previous?: string | undefined;
}

/** Why a token was refused, for the 4xx and the log line. */
export type TokenProblem = "expired" | "bad-signature" | "malformed" | "wrong-audience";

const PROBLEM_TEXT: Readonly<Record<TokenProblem, string>> = {
  expired: "has expired",
  "bad-signature": "has a signature this server does not accept",
  malformed: "is malformed",
  "wrong-audience": "was not issued for this use",
};

export class TokenError extends Error {
  readonly problem: TokenProblem;

  constructor(what: string, problem: TokenProblem, cause?: unknown) {
    super(`${what} ${PROBLEM_TEXT[problem]}`, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.problem = problem;
  }
}

const ISSUER = "gitdisk";
const ALGORITHM = "HS256";

const keyIds = new Map<string, string>();

/** Names a secret in the token header without revealing it, so verification picks the right one of a rotation. */
export function keyIdOf(secret: string): string {
  let id = keyIds.get(secret);
  if (id === undefined) {
    // Once per secret: every session check names both secrets' ids.
    id = createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 16);
    keyIds.set(secret, id);
  }
  return id;
}

/** A secret as an HMAC key, imported once: importing it again for every request cost as much as the check. */
const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * Tokens already verified, with their claims: a visitor sends the same session with every write, and the
 * same text under the same secrets verifies the same way until it expires. Bounded; the oldest go first.
 * Only what a verifier asks to be remembered: sessions, which take a GitHub sign-in each, never the sign-in
 * states anyone can have by the thousand.
 */
const verified = new Map<string, JWTPayload>();
const MAX_VERIFIED = 10_000;

function rememberVerified(cacheKey: string, payload: JWTPayload): void {
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
  verified.set(cacheKey, payload);
}

export interface TokenOptions {
  /** What the token is for: a token for one use is refused for any other. */
  audience: string;
  subject?: string;
  lifetimeSeconds: number;
  now: number;
}

/** A compact HS256 JWT signed with the current secret; returns it and when it expires (ms). */
export async function signToken(
  claims: JWTPayload,
  { audience, subject, lifetimeSeconds, now }: TokenOptions,
  secrets: SigningSecrets,
): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = issuedAt + lifetimeSeconds;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: keyIdOf(secrets.current) })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt);
  if (subject !== undefined) jwt = jwt.setSubject(subject);
  return { token: await jwt.sign(await hmacKey(secrets.current)), expiresAt: expiresAt * 1000 };
}

function problemOf(error: unknown): TokenProblem {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed) return "bad-signature";
  if (error instanceof errors.JWTClaimValidationFailed && (error.claim === "aud" || error.claim === "iss")) return "wrong-audience";
  return "malformed";
}

/**
 * The claims of a token signed by the current or the previous secret (picked by `kid`), unexpired at
 * `now`, for `audience`; a TokenError saying why otherwise. `what` names the token in the message.
 */
export async function verifyToken(
  token: string,
  audience: string,
  secrets: SigningSecrets,
  now: number,
  what: string,
  { remember }: { remember: boolean },
): Promise<JWTPayload> {
  const kids = [secrets.previous, secrets.current].flatMap((secret) => (secret ? [[keyIdOf(secret), secret] as const] : []));
  const cacheKey = `${audience} ${kids.map(([kid]) => kid).join(" ")} ${token}`;
  const known = remember ? verified.get(cacheKey) : undefined;
  if (known?.exp !== undefined && known.exp * 1000 > now) return known;
  const keys = new Map(kids);
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const secret = header.kid === undefined ? undefined : keys.get(header.kid);
        // A key rotated out of both places, or a header naming none: the signature cannot be ours.
        if (!secret) throw new errors.JWSSignatureVerificationFailed("no secret with this key id");
        return hmacKey(secret);
      },
      { issuer: ISSUER, audience, algorithms: [ALGORITHM], currentDate: new Date(now) },
    );
    if (remember) rememberVerified(cacheKey, payload);
    return payload;
  } catch (error) {
    throw new TokenError(what, problemOf(error), error);
  }
}
