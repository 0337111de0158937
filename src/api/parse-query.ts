import { decodePathComponent } from "./decode-path-component.js";

/**
 * Parses a raw query string (`a=1&b=x%2Fy`). Unlike URLSearchParams, invalid percent-encoding is a
 * 400 instead of a replacement character, so a mangled `prefix` cannot silently list something else.
 * The last value wins when a name repeats.
 */
export function parseQuery(raw: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    query.set(decodeFormComponent(name), decodeFormComponent(value));
  }
  return query;
}

function decodeFormComponent(raw: string): string {
  return decodePathComponent(raw.replaceAll("+", " "));
}
