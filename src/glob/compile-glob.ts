import { expandBraces } from "./expand-braces.js";

/**
 * Glob matching in time linear in the glob's length times the path's, whatever the glob: picomatch's
 * regular expressions backtrack, so a glob of many `*` met a crafted path with polynomial time of
 * high degree (0.1 s and more per request). The syntax is picomatch's with `dot: true` for what
 * gitdisk's configs use: `**` as a whole segment (any number of segments, none included), `*` (any
 * characters but `/`), `?`, `[a-z]` / `[^a-z]` classes (as in picomatch, `!` in a class is itself), `{a,b}` alternatives, `\` escapes, a leading `!` negating.
 */
type Token =
  | { kind: "char"; test: (char: string) => boolean }
  | { kind: "star" }
  /** `**` followed by `/`: whole segments, each with its slash. */
  | { kind: "segments" }
  /** `**` at the end: nothing, or `/` and anything after it (or, alone, any path). */
  | { kind: "rest"; alone: boolean };

export function compileGlob(glob: string): (path: string) => boolean {
  // As in picomatch, a leading `!` negates the rest.
  const negated = glob.startsWith("!");
  const alternatives = expandBraces(negated ? glob.slice(1) : glob).map(tokenize);
  return (path) => {
    const chars = Array.from(path);
    return alternatives.some((tokens) => matches(tokens, chars)) !== negated;
  };
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
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

const notSlash = (char: string) => char !== "/";
const literal = (expected: string): Token => ({ kind: "char", test: (char) => char === expected });

function segmentTokens(segment: string): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(segment);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (char === "?") {
      tokens.push({ kind: "char", test: notSlash });
    } else if (char === "[" && chars.indexOf("]", i + 2) !== -1) {
      const end = chars.indexOf("]", i + 2);
      tokens.push({ kind: "char", test: characterClass(chars.slice(i + 1, end)) });
      i = end;
    } else {
      tokens.push(literal(char === "\\" && i + 1 < chars.length ? chars[++i]! : char));
    }
  }
  return tokens;
}

/** `[abc]`, `[a-z]`, negated by a leading `^`; never `/`. */
function characterClass(body: string[]): (char: string) => boolean {
  const negated = body[0] === "^";
  const members = negated ? body.slice(1) : body;
  const inClass = (char: string) =>
    members.some((member, i) => {
      if (members[i + 1] === "-" && i + 2 < members.length) return char >= member && char <= members[i + 2]!;
      return member === char;
    });
  return (char) => char !== "/" && inClass(char) !== negated;
}

/** Whether `tokens` match all of `chars`: dynamic programming over (token, position), one row at a time. */
function matches(tokens: Token[], chars: string[]): boolean {
  const length = chars.length;
  const nextSlash = new Int32Array(length + 1);
  nextSlash[length] = length;
  for (let p = length - 1; p >= 0; p--) nextSlash[p] = chars[p] === "/" ? p : nextSlash[p + 1]!;
  // next[p]: tokens after this one match chars from p on; row[p]: this token onwards does.
  let next = new Uint8Array(length + 1);
  next[length] = 1;
  for (let t = tokens.length - 1; t >= 0; t--) {
    const token = tokens[t]!;
    const row = new Uint8Array(length + 1);
    for (let p = length; p >= 0; p--) {
      if (token.kind === "char") row[p] = p < length && token.test(chars[p]!) ? next[p + 1]! : 0;
      else if (token.kind === "star") row[p] = next[p] || (p < length && chars[p] !== "/" ? row[p + 1]! : 0);
      else if (token.kind === "segments") {
        const slash = nextSlash[p]!;
        row[p] = next[p] || (slash > p && slash < length ? row[slash + 1]! : 0);
      } else row[p] = token.alone || p === length || chars[p] === "/" ? 1 : 0;
    }
    next = row;
  }
  return next[0] === 1;
}
