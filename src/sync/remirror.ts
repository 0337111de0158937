import { clearMirror } from "./clear-mirror.js";
import { mirrorFully } from "./mirror-fully.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

const MAX_ATTEMPTS = 3;

/**
 * Rebuilds the mirror from the tracked branch's live head (two calls and a redirect): on install,
 * and when the branch or the mirror settings change, even if the commit is the same.
 */
export async function remirror(ctx: RepoSyncContext, repoId: number): Promise<SyncOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const repo = await ctx.store.getRepo(repoId);
    if (!repo) return "unchanged";
    const head = await ctx.reader.getBranchHead(repo.branch);
    if (head === null) return clearMirror(ctx, repo);
    const result = await mirrorFully(ctx, repo, head);
    if (result.kind === "applied") return "applied";
  }
  throw new SyncError(`the mirror kept changing during a full mirror: gave up after ${MAX_ATTEMPTS} attempts`);
}
