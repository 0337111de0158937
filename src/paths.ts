import { BadRequestError } from "./errors.js";

/**
 * Repository-relative paths arrive from URLs, request bodies and config files. Every one of them
 * goes through here before it reaches the store or GitHub, so none can climb out of its folder,
 * name a control character, or touch git's own `.git/`.
 */
const MAX_PATH_BYTES = 4096;
const MAX_SEGMENT_BYTES = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
// A lone surrogate has no UTF-8 form: git would store U+FFFD instead, a path other than the one checked.
const LONE_SURROGATE = /\p{Cs}/u;
// Code points HFS+ ignores in file names: there ".g\u200cit" is ".git" (git's is_hfs_dotgit).
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/gu;

/**
 * A file name as the checkouts git protects see it: case folded, HFS+'s ignorable code points dropped,
 * and NTFS's trailing dots and spaces and `:stream` suffix cut. Git refuses to check out a tree in which
 * such a name is `.git` (or NTFS's short name for it, `git~1`), so a commit holding one breaks every clone.
 */
export function checkoutName(segment: string): string {
  return segment
    .replace(HFS_IGNORABLE, "")
    .toLowerCase()
    .split(":")[0]!
    .replace(/[. ]+$/, "");
}

function namesGitDir(segment: string): boolean {
  const name = checkoutName(segment);
  return name === ".git" || name === "git~1";
}

export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return "path is empty";
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `path is longer than ${MAX_PATH_BYTES} bytes`;
  if (CONTROL_CHARACTERS.test(path)) return "path contains a control character";
  if (LONE_SURROGATE.test(path)) return "path is not valid Unicode (a lone surrogate)";
  if (path.startsWith("/") || path.includes("\\")) return "path must be relative and use forward slashes";
  for (const segment of path.split("/")) {
    if (segment === "") return "path has an empty segment";
    if (segment === "." || segment === "..") return "path may not contain '.' or '..' segments";
    if (namesGitDir(segment)) return "path may not touch .git";
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Throws a 400 for a path that could escape or is malformed; returns it unchanged otherwise. */
export function assertSafePath(path: string): string {
  const problem = pathProblem(path);
  if (problem) throw new BadRequestError(problem, { path });
  return path;
}

/** `.github/` holds workflows and gitdisk's own config: never served without the key, never written by users. */
export function isUnderDotGithub(path: string): boolean {
  return path.toLowerCase() === ".github" || path.toLowerCase().startsWith(".github/");
}
