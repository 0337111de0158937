import type { ApiResponse } from "./api-types.js";

export interface EncodedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Turns an ApiResponse into bytes and final headers, for whichever runtime sends it. */
export function encodeResponse(response: ApiResponse): EncodedResponse {
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (response.cookies && response.cookies.length > 0) headers["set-cookie"] = response.cookies;
  const { status, body } = response;
  let bytes: Buffer;
  if (body === undefined) {
    bytes = Buffer.alloc(0);
  } else if (Buffer.isBuffer(body)) {
    bytes = body;
    headers["content-type"] ??= "application/octet-stream";
  } else if (typeof body === "string") {
    bytes = Buffer.from(body, "utf8");
    headers["content-type"] ??= "text/plain; charset=utf-8";
  } else {
    bytes = Buffer.from(JSON.stringify(body), "utf8");
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  if (status !== 204 && status !== 304) headers["content-length"] = String(bytes.length);
  return { status, headers, body: bytes };
}
