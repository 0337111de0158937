import { createHash, timingSafeEqual } from "node:crypto";
import type { KeyStore } from "../store/key-store.js";
import type { Access } from "./api-types.js";
import { UnauthorizedError } from "./http-errors.js";
import { hashSiteKey, SITE_KEY_PREFIX } from "./site-keys.js";

const BEARER = /^Bearer +(\S+) *$/i;

const NO_SERVER_KEY = "GITDISK_API_KEY is not set on this server, so private content is not readable and keyed requests are refused";

/**
 * Compares a presented key with the site key in constant time. Hashing first gives both sides the
 * same length, so neither the length nor a matching prefix of the key leaks through timing.
 */
export function keyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Who is asking, from the Authorization header. No header is anonymous; any header that is not the
 * right key is a 401, never a silent fall-back to anonymous, so a misconfigured site notices.
 */
export function authenticate(authorization: string | undefined, apiKey: string | undefined): Access {
  if (authorization === undefined) return { key: false };
  const bearer = BEARER.exec(authorization);
  if (!bearer?.[1]) throw new UnauthorizedError('the Authorization header must be "Bearer <GITDISK_API_KEY>"');
  if (apiKey === undefined) throw new UnauthorizedError(NO_SERVER_KEY);
  if (!keyMatches(bearer[1], apiKey)) throw new UnauthorizedError("the API key is wrong");
  return { key: true };
}

/**
 * Who is asking, with the repositories' site keys: a bearer that is not the operator's key but has a
 * site key's form is looked up by its hash, on every request (a revoked key is refused at once). A live
 * one is the access of its repository, its use recorded; any other bearer is answered as `authenticate` does.
 */
export async function authenticateWithKeys(
  authorization: string | undefined,
  apiKey: string | undefined,
  keys: KeyStore | undefined,
  now: number,
): Promise<Access> {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  // Only a bearer shaped as a site key could be one: any other is compared with the operator's key once, below.
  if (keys && presented?.startsWith(SITE_KEY_PREFIX) && !(apiKey !== undefined && keyMatches(presented, apiKey))) {
    const found = await keys.findKeyByHash(hashSiteKey(presented));
    if (!found) throw new UnauthorizedError("the API key is wrong");
    await keys.touchKey(found.id, now);
    return { key: false, repoKey: found };
  }
  return authenticate(authorization, apiKey);
}

/** The 401 for a read or write that needs the key, saying why it cannot be had when the server has none. */
export function keyNeeded(apiKey: string | undefined, what: string): UnauthorizedError {
  return new UnauthorizedError(
    apiKey === undefined
      ? `${what} needs the API key, but ${NO_SERVER_KEY}`
      : `${what} needs the API key: send Authorization: Bearer <GITDISK_API_KEY>`,
  );
}
