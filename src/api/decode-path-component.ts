import { BadRequestError } from "../errors.js";

/**
 * Decodes one percent-encoded URL component. Invalid encoding is a 400 rather than a silent fallback
 * (Hono keeps the raw text; URLSearchParams puts in a replacement character), so a mangled name can
 * never quietly stand for another.
 */
export function decodePathComponent(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError("the URL has invalid percent-encoding", { raw: raw.slice(0, 200) });
  }
}
