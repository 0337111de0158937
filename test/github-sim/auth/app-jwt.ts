import { createVerify, type KeyObject } from "node:crypto";

export type JwtCheck = { ok: true } | { ok: false; message: string };

/** Clock drift GitHub tolerates between the app's machine and its own. */
const ALLOWED_DRIFT_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 600;

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

/**
 * Checks a GitHub App's JSON web token the way GitHub does: RS256 signed by the app's key,
 * `iss` the app id (or client id), issued no later than now, expiring within ten minutes.
 * Failure messages are GitHub's, because Octokit's app auth reads them to correct clock drift.
 */
export function verifyAppJwt(token: string, app: { id: number; clientId: string; publicKey: KeyObject }, nowSeconds: number): JwtCheck {
  const [headerPart, payloadPart, signaturePart] = token.split(".");
  const header = headerPart ? decodeSegment(headerPart) : null;
  const payload = payloadPart ? decodeSegment(payloadPart) : null;
  if (!header || !payload || !signaturePart || header.alg !== "RS256") {
    return { ok: false, message: "A JSON web token could not be decoded" };
  }
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(app.publicKey, Buffer.from(signaturePart, "base64url"))) {
    return { ok: false, message: "A JSON web token could not be decoded" };
  }
  const { iat, exp, iss } = payload;
  if (typeof iat !== "number" || iat > nowSeconds + ALLOWED_DRIFT_SECONDS) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  }
  if (typeof exp !== "number" || exp <= nowSeconds) {
    return {
      ok: false,
      message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  }
  if (exp > nowSeconds + MAX_LIFETIME_SECONDS + ALLOWED_DRIFT_SECONDS || exp - iat > MAX_LIFETIME_SECONDS + ALLOWED_DRIFT_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  if (String(iss) !== String(app.id) && iss !== app.clientId) {
    return { ok: false, message: "'Issuer' claim ('iss') must be an Integer" };
  }
  return { ok: true };
}
