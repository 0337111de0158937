import type { PushEvent } from "./push-event.js";

/** GitHub lists at most 20 commits in a push payload: a push with that many may have more. */
const PAYLOAD_COMMIT_LIMIT = 20;
/** Past this many paths, one recursive tree is cheaper than a comparison that may hit its 300-file cap. */
const BIG_PUSH_PATHS = 250;

function pathCount(push: PushEvent): number {
  return push.commits.reduce((sum, commit) => sum + commit.added.length + commit.removed.length + commit.modified.length, 0);
}

/** The payload suggests a change too big (or too incompletely described) for a comparison. */
export function looksBig(push: PushEvent): boolean {
  return push.commits.length >= PAYLOAD_COMMIT_LIMIT || pathCount(push) >= BIG_PUSH_PATHS;
}

/** Whether the push may have changed `path`: listed in a commit, or the commit list may be truncated. */
export function mayTouch(push: PushEvent, path: string): boolean {
  if (push.commits.length >= PAYLOAD_COMMIT_LIMIT) return true;
  return push.commits.some((commit) => commit.added.includes(path) || commit.removed.includes(path) || commit.modified.includes(path));
}
