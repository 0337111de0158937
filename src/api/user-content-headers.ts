/**
 * Headers for a repository's file served as is. Its bytes are anyone's who could push, yet they come
 * from the API's origin: `sandbox` gives a document an opaque origin with no script, forms or popups,
 * `default-src 'none'` lets it fetch nothing (inline styles and data: images stay, so an SVG icon still
 * draws), and nosniff keeps a browser to the declared type.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

// Types a browser renders as a document with script of its own: opened directly, they are downloaded instead.
const ACTIVE_TYPES = new Set([
  "text/html",
  "application/xhtml+xml",
  "image/svg+xml",
  "text/xml",
  "application/xml",
  "text/xsl",
  "application/xslt+xml",
  "application/rss+xml",
  "application/atom+xml",
  "application/rdf+xml",
  "application/mathml+xml",
  "text/mathml",
  "application/pdf",
]);

export function userContentHeaders(contentType: string): Record<string, string> {
  const mediaType = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return {
    "content-type": contentType,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    ...(ACTIVE_TYPES.has(mediaType) ? { "content-disposition": "attachment" } : {}),
  };
}
