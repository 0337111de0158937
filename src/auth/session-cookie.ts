import { parse, serialize } from "hono/utils/cookie";

export const SESSION_COOKIE = "gitdisk_session";
export const STATE_COOKIE = "gitdisk_oauth";
/** The sign-in state goes only to the auth routes; the session to every route. */
const STATE_PATH = "/v1/auth";
const SESSION_PATH = "/";

/**
 * HttpOnly: a page's script never reads them (the bearer in the fragment is its copy). SameSite=Lax:
 * sent on the top-level navigation back from GitHub, not on another site's subrequests.
 */
function cookie(name: string, value: string, path: string, maxAgeSeconds: number, secure: boolean): string {
  return serialize(name, value, { httpOnly: true, sameSite: "Lax", path, maxAge: maxAgeSeconds, secure });
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return cookie(SESSION_COOKIE, token, SESSION_PATH, maxAgeSeconds, secure);
}

export function stateCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return cookie(STATE_COOKIE, token, STATE_PATH, maxAgeSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return cookie(SESSION_COOKIE, "", SESSION_PATH, 0, secure);
}

export function clearedStateCookie(secure: boolean): string {
  return cookie(STATE_COOKIE, "", STATE_PATH, 0, secure);
}

/** A cookie's value from a Cookie header; undefined when absent or empty. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const value = parse(header, name)[name];
  return value ? value : undefined;
}
