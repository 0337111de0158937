import { parse, serialize } from "hono/utils/cookie";

/**
 * Over https the cookies carry the `__Host-` prefix: the browser then takes them only from gitdisk's own
 * host (Secure, Path=/, no Domain), so a sibling subdomain cannot plant its own session or sign-in state
 * in a visitor's browser. Plain http (local development) cannot have the prefix.
 */
const HOST_PREFIX = "__Host-";
const SESSION_NAME = "gitdisk_session";
const STATE_NAME = "gitdisk_oauth";
/** Without the prefix the sign-in state goes only to the auth routes; a `__Host-` cookie must have Path=/. */
const STATE_PATH = "/v1/auth";

export function sessionCookieName(secure: boolean): string {
  return secure ? HOST_PREFIX + SESSION_NAME : SESSION_NAME;
}

export function stateCookieName(secure: boolean): string {
  return secure ? HOST_PREFIX + STATE_NAME : STATE_NAME;
}

/**
 * HttpOnly: a page's script never reads them (the bearer in the fragment is its copy). SameSite=Lax:
 * sent on the top-level navigation back from GitHub, not on another site's subrequests.
 */
function cookie(name: string, value: string, path: string, maxAgeSeconds: number, secure: boolean): string {
  return serialize(name, value, { httpOnly: true, sameSite: "Lax", path, maxAge: maxAgeSeconds, secure });
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return cookie(sessionCookieName(secure), token, "/", maxAgeSeconds, secure);
}

export function stateCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return cookie(stateCookieName(secure), token, secure ? "/" : STATE_PATH, maxAgeSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", 0, secure);
}

export function clearedStateCookie(secure: boolean): string {
  return stateCookie("", 0, secure);
}

/** A cookie's value from a Cookie header; undefined when absent or empty. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const value = parse(header, name)[name];
  return value ? value : undefined;
}
