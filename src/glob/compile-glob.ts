import { expandBraces } from "./expand-braces.js";
import { globMatcher } from "./glob-matcher.js";
import { globTokens } from "./glob-tokens.js";

/**
 * A glob as a matcher whose time is linear in the path, whatever the glob. picomatch's regular
 * expressions backtrack: a glob of many `*` met a crafted path in time polynomial of high degree
 * (seconds for a 40-character path). The syntax and answers are picomatch's with `dot: true` for
 * what gitdisk's configs use: `**` as a whole segment, `*`, `?`, `[a-z]` / `[^a-z]`, `{a,b}`, `\`
 * escapes, and a leading `!` negating the rest.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  const negated = glob.startsWith("!");
  const alternatives = expandBraces(negated ? glob.slice(1) : glob).map((plain) => globMatcher(globTokens(plain)));
  return (path) => alternatives.some((matches) => matches(path)) !== negated;
}
