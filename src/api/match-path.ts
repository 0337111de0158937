import { BadRequestError } from "../errors.js";

/**
 * Matches raw (percent-encoded) URL paths against route patterns. Literal segments are compared
 * before any decoding, so an encoded `/` can never stand in for a separator between them; parameters
 * are decoded afterwards, and invalid encoding is a 400 rather than a silent replacement character.
 */
type Segment = { kind: "literal"; text: string } | { kind: "param"; name: string } | { kind: "rest"; name: string };

export interface PathPattern {
  source: string;
  segments: Segment[];
}

const PARAM = /^\{([a-zA-Z][a-zA-Z0-9]*)(\.\.\.)?\}$/;

export function compilePattern(source: string): PathPattern {
  if (!source.startsWith("/")) throw new Error(`route pattern must start with "/": ${source}`);
  const parts = source.slice(1).split("/");
  const segments = parts.map((part, index): Segment => {
    const param = PARAM.exec(part);
    if (!param) {
      if (part.includes("{") || part.includes("}")) throw new Error(`malformed parameter in route pattern ${source}`);
      return { kind: "literal", text: part };
    }
    const [, name = "", rest] = param;
    if (rest && index !== parts.length - 1) throw new Error(`{${name}...} must be the last segment of ${source}`);
    return rest ? { kind: "rest", name } : { kind: "param", name };
  });
  return { source, segments };
}

export function decodePathComponent(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError("the URL has invalid percent-encoding", { raw: raw.slice(0, 200) });
  }
}

/** The decoded parameters when `rawPath` matches, undefined when it does not. */
export function matchPath(pattern: PathPattern, rawPath: string): Record<string, string> | undefined {
  if (!rawPath.startsWith("/")) return undefined;
  const parts = rawPath.slice(1).split("/");
  const raw: Array<[string, string]> = [];
  for (const [index, segment] of pattern.segments.entries()) {
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === "literal") {
      if (part !== segment.text) return undefined;
    } else if (segment.kind === "param") {
      if (part === "") return undefined;
      raw.push([segment.name, part]);
    } else {
      const rest = parts.slice(index).join("/");
      if (rest === "") return undefined;
      raw.push([segment.name, rest]);
      return decodeParams(raw);
    }
  }
  return parts.length === pattern.segments.length ? decodeParams(raw) : undefined;
}

// Decoding waits until the whole pattern matched: bad encoding is only a 400 on a path that is ours.
function decodeParams(raw: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(raw.map(([name, value]) => [name, decodePathComponent(value)]));
}
