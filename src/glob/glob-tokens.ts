/**
 * A glob as tokens for GlobMatcher. Code units are UTF-16, as picomatch's regular expressions
 * (without the `u` flag) see a path.
 */
export type GlobToken =
  | { kind: "literal"; code: number }
  /** `?` or a class: one code unit the test accepts, never `/`. */
  | { kind: "test"; test: (code: number) => boolean }
  /** `*`: any code units but `/`, none included. */
  | { kind: "star" }
  /** `**` followed by `/`: whole segments, each with its slash, none included. */
  | { kind: "segments" }
  /** `**` at the end: nothing, or `/` and anything after it; `alone`, any path at all. */
  | { kind: "rest"; alone: boolean };

export const SLASH = 0x2f;

const notSlash = (code: number) => code !== SLASH;
const literal = (char: string): GlobToken => ({ kind: "literal", code: char.charCodeAt(0) });

/** The tokens of a glob without braces (see expandBraces). */
export function globTokens(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  const segments = glob.split("/");
  const lastIndex = segments.length - 1;
  segments.forEach((segment, index) => {
    if (segment === "**") {
      tokens.push(index === lastIndex ? { kind: "rest", alone: tokens.every((token) => token.kind === "segments") } : { kind: "segments" });
      return;
    }
    tokens.push(...segmentTokens(segment));
    // Before a final `**` the slash is the rest token's own: `content/**` matches `content` too.
    const beforeFinalGlobstar = index + 1 === lastIndex && segments[lastIndex] === "**";
    if (index < lastIndex && !beforeFinalGlobstar) tokens.push(literal("/"));
  });
  return tokens;
}

function segmentTokens(segment: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  const chars = segment.split("");
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const classEnd = char === "[" ? chars.indexOf("]", i + 2) : -1;
    if (char === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (char === "?") {
      tokens.push({ kind: "test", test: notSlash });
    } else if (classEnd !== -1) {
      tokens.push({ kind: "test", test: characterClass(chars.slice(i + 1, classEnd)) });
      i = classEnd;
    } else {
      tokens.push(literal(char === "\\" && i + 1 < chars.length ? chars[++i]! : char));
    }
  }
  return tokens;
}

/** `[abc]`, `[a-z]`, negated by a leading `^` (as in picomatch, `!` in a class is itself); never `/`. */
function characterClass(body: string[]): (code: number) => boolean {
  const negated = body[0] === "^";
  const members = negated ? body.slice(1) : body;
  const inClass = (char: string) =>
    members.some((member, i) =>
      members[i + 1] === "-" && i + 2 < members.length ? char >= member && char <= members[i + 2]! : member === char,
    );
  return (code) => code !== SLASH && inClass(String.fromCharCode(code)) !== negated;
}
