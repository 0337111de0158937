/** Strong ETag of a mirrored file: its git blob SHA, which changes exactly when the bytes do. */
export function etagOf(sha: string): string {
  return `"${sha}"`;
}

const ENTITY_TAG = /(?:W\/)?"([^"]*)"/g;

/**
 * Whether an `If-None-Match` header matches `etag`: `*`, or any listed tag, weak or strong
 * (RFC 9110 uses the weak comparison for If-None-Match).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  for (const [tag] of header.matchAll(ENTITY_TAG)) {
    if (tag.replace(/^W\//, "") === opaque) return true;
  }
  return false;
}
