/**
 * CORS for the data API, decided here only. Access needs no cookies today — a key, when any, travels in
 * the Authorization header a page sets itself — so `*` without credentials is safe and lets any static
 * site read. The decision takes the request's Origin and the route's parameters, so that a repository's
 * own origins can later be answered by name, with credentials.
 */
const ALLOWED_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-None-Match", "If-Match", "X-Gitdisk-User"];
/** Response headers a page's script may read besides the CORS-safelisted ones. */
const EXPOSED_RESPONSE_HEADERS = ["ETag", "Location", "Allow", "WWW-Authenticate"];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface CorsRequest {
  /** The `Origin` header, when the browser sent one. */
  origin: string | undefined;
  /** The matched route's parameters, decoded; empty when no route matched. */
  params: Readonly<Record<string, string>>;
}

const ANY_ORIGIN: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": EXPOSED_RESPONSE_HEADERS.join(", "),
};

/** The CORS headers of every answer, errors included. */
export function corsHeaders(_request: CorsRequest): Readonly<Record<string, string>> {
  return ANY_ORIGIN;
}

/** What a preflight adds: the methods the path answers and the headers a page may send. */
export function preflightHeaders(allowedMethods: readonly string[]): Record<string, string> {
  return {
    "access-control-allow-methods": allowedMethods.join(", "),
    "access-control-allow-headers": ALLOWED_REQUEST_HEADERS.join(", "),
    "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
