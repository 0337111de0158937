import { setTimeout as delay } from "node:timers/promises";
import { writeIdsIn } from "../git/commit-trailers.js";
import type { MirrorStore } from "../store/store.js";

/** Longest wait for the write-back to apply a commit of its own; after it the push is synced as any other. */
export const OWN_COMMIT_GRACE_MS = 3_000;
const POLL_MS = 20;

/** A commit the write-back made: its message names the writes it holds. */
export function isGitdiskCommit(message: string | null): boolean {
  return message !== null && writeIdsIn(message).length > 0;
}

/**
 * The push webhook of gitdisk's own commit often arrives before GitHub's answer to the commit call
 * has been handled; syncing it then would download what the write-back is about to apply itself
 * (for a big batch, the whole recursive tree). Waiting a moment for the mirror to reach the commit
 * keeps that push free. A crash between commit and apply only costs the grace time.
 */
export async function awaitOwnCommit(
  store: Pick<MirrorStore, "getRepo">,
  repoId: number,
  sha: string,
  graceMs = OWN_COMMIT_GRACE_MS,
): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if ((await store.getRepo(repoId))?.sha === sha) return true;
    await delay(POLL_MS);
  }
  return false;
}
