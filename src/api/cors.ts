import type { ApiResponse } from "./api-types.js";

/**
 * CORS for the data API. Access needs no cookies — a key, when any, travels in the Authorization
 * header a page sets itself — so `*` without credentials is safe and lets any static site read.
 */
const ALLOWED_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-None-Match", "If-Match", "X-Gitdisk-User"];
/** Response headers a page's script may read besides the CORS-safelisted ones. */
const EXPOSED_RESPONSE_HEADERS = ["ETag", "Location", "Allow", "WWW-Authenticate"];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": EXPOSED_RESPONSE_HEADERS.join(", "),
};

export function withCors(response: ApiResponse): ApiResponse {
  return { ...response, headers: { ...CORS_HEADERS, ...response.headers } };
}

export function preflightResponse(allowedMethods: readonly string[]): ApiResponse {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": allowedMethods.join(", "),
      "access-control-allow-headers": ALLOWED_REQUEST_HEADERS.join(", "),
      "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
    },
  };
}
