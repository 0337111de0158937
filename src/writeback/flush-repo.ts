import { type FlusherDeps, RepoFlusher } from "./repo-flusher.js";

/**
 * Claims a repository's due work from the store and does it: the batch left from before, then batches
 * of queued writes whose flush window has passed, committed as `deps.claim.owner`. Returns when nothing
 * is due, or when another owner holds the repository's batch (it commits it). What a scheduled function
 * or another process calls; the write-back's own timers run the same drain through their RepoFlusher.
 */
export function flushRepo(deps: FlusherDeps, repoId: number): Promise<void> {
  return new RepoFlusher(repoId, deps).flushDue();
}
