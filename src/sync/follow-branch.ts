import { clearMirror } from "./clear-mirror.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { syncToCommit } from "./sync-to-commit.js";

/** Brings the mirror to the tracked branch's live head (one call when it is there already), or clears it when the branch is gone. */
export async function followBranch(ctx: RepoSyncContext, repoId: number): Promise<SyncOutcome> {
  const repo = await ctx.store.getRepo(repoId);
  if (!repo) return "unchanged";
  const head = await ctx.reader.getBranchHead(repo.branch);
  return head === null ? clearMirror(ctx, repo) : syncToCommit(ctx, repoId, { sha: head, safe: true });
}
