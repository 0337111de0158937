import type { AppliedCommits } from "../applied-commits.js";
import { writeIdsIn } from "../git/commit-trailers.js";

/** Longest wait for the write-back to apply a commit of its own; after it the push is synced as any other. */
const OWN_COMMIT_GRACE_MS = 3_000;

/** A commit the write-back made: its message names the writes it holds. */
export function isGitdiskCommit(message: string | null): boolean {
  return message !== null && writeIdsIn(message).length > 0;
}

/**
 * The push webhook of gitdisk's own commit often arrives before GitHub's answer to the commit call
 * has been handled; syncing it then would download what the write-back is about to apply itself
 * (for a big batch, the whole recursive tree). Waiting a moment for the write-back to announce it has
 * applied the commit keeps that push free. A crash between commit and apply only costs the grace time.
 */
export function awaitOwnCommit(
  applied: Pick<AppliedCommits, "waitFor">,
  repoId: number,
  sha: string,
  graceMs = OWN_COMMIT_GRACE_MS,
): Promise<boolean> {
  return applied.waitFor(repoId, sha, graceMs);
}
