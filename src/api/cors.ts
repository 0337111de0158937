/**
 * CORS for the data API, decided here only. A page that holds a key or a session bearer sets the
 * Authorization header itself and needs no credentials mode, so `*` without credentials lets any static
 * site read. A page on an origin its repository lists in `api.origins` also gets its origin named, with
 * credentials allowed, so that the session cookie travels; never `*` with credentials.
 */
const ALLOWED_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-None-Match", "If-Match", "X-Gitdisk-User"];
/** Response headers a page's script may read besides the CORS-safelisted ones. */
const EXPOSED_RESPONSE_HEADERS = ["ETag", "Location", "Allow", "WWW-Authenticate"];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const ANY_ORIGIN: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": EXPOSED_RESPONSE_HEADERS.join(", "),
  vary: "Origin",
};

export interface CorsRequest {
  /** The `Origin` header, when the browser sent one. */
  origin: string | undefined;
  /** The `api.origins` of the repository the request concerns (its path's, or its session's); empty when none. */
  listedOrigins: readonly string[];
}

/**
 * The CORS headers of every answer, errors included. `Vary: Origin` always: the same URL answers a listed
 * origin differently from any other, and a shared cache must not hand one's answer to the other.
 */
export function corsHeaders({ origin, listedOrigins }: CorsRequest): Readonly<Record<string, string>> {
  if (origin !== undefined && listedOrigins.includes(origin)) {
    return {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": EXPOSED_RESPONSE_HEADERS.join(", "),
      vary: "Origin",
    };
  }
  return ANY_ORIGIN;
}

/** Joins two `Vary` values, each name once. */
export function joinVary(first: string | undefined, second: string | undefined): string | undefined {
  const names = [first, second].flatMap((value) => value?.split(",").map((name) => name.trim()) ?? []).filter(Boolean);
  return names.length === 0 ? undefined : [...new Set(names)].join(", ");
}

/** What a preflight adds: the methods the path answers and the headers a page may send. */
export function preflightHeaders(allowedMethods: readonly string[]): Record<string, string> {
  return {
    "access-control-allow-methods": allowedMethods.join(", "),
    "access-control-allow-headers": ALLOWED_REQUEST_HEADERS.join(", "),
    "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
