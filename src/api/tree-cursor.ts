import { BadRequestError } from "../errors.js";

/** Where a tree page ended: the commit the listing is of and the last path on the page. */
export interface TreeCursor {
  sha: string;
  after: string;
}

// Opaque to clients; base64url so it needs no escaping in a query string.
export function encodeTreeCursor(cursor: TreeCursor): string {
  return Buffer.from(`${cursor.sha}:${cursor.after}`, "utf8").toString("base64url");
}

export function decodeTreeCursor(raw: string): TreeCursor {
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  const cursor = { sha: text.slice(0, colon), after: text.slice(colon + 1) };
  if (colon <= 0 || cursor.after === "" || encodeTreeCursor(cursor) !== raw)
    throw new BadRequestError("cursor is not one this API returned");
  return cursor;
}
