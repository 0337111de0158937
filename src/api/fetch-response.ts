import type { ApiResponse } from "./api-types.js";
import { encodeResponse } from "./encode-response.js";

/**
 * An ApiResponse as a Fetch Response, for Hono to hand to its adapter. Each cookie becomes a `Set-Cookie`
 * header of its own; other headers stay a plain object, which @hono/node-server writes without copying.
 */
export function toFetchResponse(response: ApiResponse): Response {
  const { status, headers, body } = encodeResponse(response);
  const content = body.length === 0 ? null : body;
  const cookies = headers["set-cookie"];
  if (!Array.isArray(cookies)) return new Response(content, { status, headers: headers as Record<string, string> });
  const fetchHeaders = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const each of Array.isArray(value) ? value : [value]) fetchHeaders.append(name, each);
  }
  return new Response(content, { status, headers: fetchHeaders });
}
