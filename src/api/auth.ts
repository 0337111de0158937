import { constantTimeEqual } from "../auth/constant-time-equal.js";
import { readCookie, sessionCookieName } from "../auth/session-cookie.js";
import { looksLikeSessionToken, verifySession } from "../auth/session-tokens.js";
import { TokenError } from "../auth/signed-tokens.js";
import type { VisitorSession } from "../auth/visitor-session.js";
import type { KeyStore } from "../store/key-store.js";
import type { Access, ApiDeps, ApiRequest } from "./api-types.js";
import { UnauthorizedError } from "./http-errors.js";
import { isSafeMethod } from "./safe-method.js";
import { signingSecrets } from "./sign-in-deps.js";
import { hashSiteKey, SITE_KEY_PREFIX } from "./site-keys.js";

const BEARER = /^Bearer +(\S+) *$/i;

const NO_SERVER_KEY = "GITDISK_API_KEY is not set on this server, so private content is not readable and keyed requests are refused";

/**
 * Who is asking, from the Authorization header. No header is anonymous; any header that is not the
 * right key is a 401, never a silent fall-back to anonymous, so a misconfigured site notices.
 */
export function authenticate(authorization: string | undefined, apiKey: string | undefined): Access {
  if (authorization === undefined) return { key: false };
  const bearer = BEARER.exec(authorization);
  if (!bearer?.[1]) throw new UnauthorizedError('the Authorization header must be "Bearer <GITDISK_API_KEY>"');
  if (apiKey === undefined) throw new UnauthorizedError(NO_SERVER_KEY);
  if (!constantTimeEqual(bearer[1], apiKey)) throw new UnauthorizedError("the API key is wrong");
  return { key: true };
}

/**
 * Who is asking, with the repositories' site keys: a bearer that is not the operator's key but has a
 * site key's form is looked up by its hash, on every request (a revoked key is refused at once). A live
 * one is the access of its repository, its use recorded; any other bearer is answered as `authenticate` does.
 */
async function authenticateWithKeys(
  authorization: string | undefined,
  apiKey: string | undefined,
  keys: KeyStore | undefined,
  now: number,
): Promise<Access> {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  // Only a bearer shaped as a site key could be one: any other is compared with the operator's key once, below.
  if (keys && presented?.startsWith(SITE_KEY_PREFIX) && !(apiKey !== undefined && constantTimeEqual(presented, apiKey))) {
    const found = await keys.findKeyByHash(hashSiteKey(presented));
    if (!found) throw new UnauthorizedError("the API key is wrong");
    await keys.touchKey(found.id, now);
    return { key: false, repoKey: found };
  }
  return authenticate(authorization, apiKey);
}

/**
 * Who is asking, from the Authorization header or the session cookie. A bearer is tried as the
 * operator's key, then a site key, then (shaped as a JWT) a session; without Authorization the
 * session cookie (`gitdisk_session`, `__Host-gitdisk_session` over https), when sign-in is on, is verified as a
 * session; one that fails counts as none on a read. Any other credential that does not
 * hold is a 401 saying why (expired, bad signature, …), never a fall-back to anonymous.
 */
export async function authenticateRequest(
  { headers, method }: Pick<ApiRequest, "headers" | "method">,
  deps: Pick<ApiDeps, "config" | "keys" | "signIn" | "log">,
  now: number,
): Promise<Access> {
  const { authorization } = headers;
  if (authorization === undefined) {
    // Without sign-in no cookie can be checked: one left from before it was turned off is ignored, not fatal to reads.
    if (!deps.signIn) return { key: false };
    const cookie = readCookie(headers.cookie, sessionCookieName(deps.signIn.config.secureCookies));
    if (cookie === undefined) return { key: false };
    try {
      return { key: false, session: await sessionOf(cookie, "cookie", deps.signIn) };
    } catch (error) {
      // The browser sends its cookie to every site on this host, stale or not: a read goes on as a visitor
      // without one (a session grants no reads); a change of data is refused with the reason.
      if (!isSafeMethod(method) || !(error instanceof UnauthorizedError)) throw error;
      deps.log.debug({ reason: error.message }, "session cookie not accepted: read answered as without one");
      return { key: false };
    }
  }
  const bearer = BEARER.exec(authorization)?.[1];
  const { apiKey } = deps.config;
  if (bearer !== undefined && looksLikeSessionToken(bearer) && !(apiKey !== undefined && constantTimeEqual(bearer, apiKey))) {
    if (!deps.signIn) throw new UnauthorizedError("sign-in with GitHub is not enabled on this server, so no session token is accepted");
    return { key: false, session: await sessionOf(bearer, "bearer", deps.signIn) };
  }
  return authenticateWithKeys(authorization, apiKey, deps.keys, now);
}

async function sessionOf(token: string, via: VisitorSession["via"], signIn: NonNullable<ApiDeps["signIn"]>): Promise<VisitorSession> {
  try {
    return await verifySession(token, via, signingSecrets(signIn.config), signIn.now());
  } catch (error) {
    if (error instanceof TokenError) throw new UnauthorizedError(`${error.message}: sign in again`);
    throw error;
  }
}

/** The 401 for a read or write that needs the key, saying why it cannot be had when the server has none. */
export function keyNeeded(apiKey: string | undefined, what: string): UnauthorizedError {
  return new UnauthorizedError(
    apiKey === undefined
      ? `${what} needs the API key, but ${NO_SERVER_KEY}`
      : `${what} needs the API key: send Authorization: Bearer <GITDISK_API_KEY>`,
  );
}
