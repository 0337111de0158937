import { compileGlob } from "../glob/compile-glob.js";

/** Distinct `api.public` lists kept compiled; one per repository config in use is the usual need. */
const MAX_CACHED = 256;

const compiled = new Map<string, (path: string) => boolean>();

/**
 * The matcher of a config's `api.public` globs, compiled once per distinct list rather than per request
 * (the store hands each request a freshly parsed config, so the list's content is the key).
 */
export function publicPaths(globs: readonly string[]): (path: string) => boolean {
  const key = JSON.stringify(globs);
  let matcher = compiled.get(key);
  if (!matcher) {
    const matchers = globs.map(compileGlob);
    matcher = (path) => matchers.some((matches) => matches(path));
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, matcher);
  }
  return matcher;
}
