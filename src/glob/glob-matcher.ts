import { type GlobToken, SLASH } from "./glob-tokens.js";

const LITERAL = 0,
  TEST = 1,
  STAR = 2,
  SEGMENTS = 3,
  REST = 4,
  ANYTHING = 5;
const KINDS = { literal: LITERAL, test: TEST, star: STAR, segments: SEGMENTS, rest: REST } as const;

/**
 * Matches paths against glob tokens as a nondeterministic automaton run over the path once, holding
 * the set of states reached: time is the path's length times the tokens' count at worst, whatever the
 * glob. State t: the tokens before t matched; state `end + 1 + t`: inside a segment that the `segments`
 * token t is taking. Buffers are made once per glob; a path not starting with the glob's literal
 * prefix is refused before any of it, and a final `**` accepts as soon as it is reached.
 */
export function globMatcher(tokens: readonly GlobToken[]): (path: string) => boolean {
  const end = tokens.length;
  const kinds = Uint8Array.from(tokens, (token) => (token.kind === "rest" && token.alone ? ANYTHING : KINDS[token.kind]));
  const codes = Int32Array.from(tokens, (token) => (token.kind === "literal" ? token.code : -1));
  const tests = tokens.map((token) => (token.kind === "test" ? token.test : undefined));
  let start = 0;
  while (start < end && kinds[start] === LITERAL) start++;
  const prefix = String.fromCharCode(...codes.subarray(0, start));

  const seen = new Uint32Array(2 * end + 1);
  let stamp = 0;
  let current = new Int32Array(2 * end + 1);
  let next = new Int32Array(2 * end + 1);
  let count = 0;
  // Adds a state to `next`, with the states after a `*` or `**` segment that match nothing.
  const add = (state: number): void => {
    for (; seen[state] !== stamp; state++) {
      seen[state] = stamp;
      next[count++] = state;
      if (state >= end || (kinds[state] !== STAR && kinds[state] !== SEGMENTS)) return;
    }
  };
  const nextStep = (): void => {
    if (++stamp === 0xffffffff) seen.fill((stamp = 1) - 1);
    count = 0;
  };

  return (path) => {
    if (!path.startsWith(prefix)) return false;
    nextStep();
    add(start);
    for (let p = start; ; p++) {
      const swap = current;
      current = next;
      next = swap;
      const states = count;
      const code = p < path.length ? path.charCodeAt(p) : -1;
      for (let i = 0; i < states; i++) {
        const kind = kinds[current[i]!];
        if (kind === ANYTHING || (kind === REST && (code === -1 || code === SLASH))) return true;
      }
      if (code === -1) return seen[end] === stamp;
      nextStep();
      for (let i = 0; i < states; i++) {
        const state = current[i]!;
        if (state > end) {
          add(code === SLASH ? state - end - 1 : state);
          continue;
        }
        const kind = kinds[state];
        if (kind === LITERAL ? codes[state] === code : kind === TEST && tests[state]!(code)) add(state + 1);
        else if (kind === STAR && code !== SLASH) add(state);
        else if (kind === SEGMENTS && code !== SLASH) add(end + 1 + state);
      }
      if (count === 0) return false;
    }
  };
}
