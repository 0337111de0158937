import { refreshConfig } from "./refresh-config.js";
import { clearMirror } from "./clear-mirror.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";
import { syncToCommit } from "./sync-to-commit.js";

/**
 * Compares the mirror with the tracked branch's live head (one call when nothing changed) and
 * catches up. A repository GitHub no longer shows is reported, not purged: access may come back.
 */
export async function healRepo(ctx: RepoSyncContext, repoId: number): Promise<SyncOutcome> {
  const repo = await ctx.store.getRepo(repoId);
  if (!repo) return "unchanged";
  const head = await ctx.reader.getBranchHead(repo.branch);
  if (head !== null) return syncToCommit(ctx, repoId, { sha: head, safe: true });

  const found = await ctx.reader.getRepository();
  if (!found) {
    throw new SyncError(`repository ${repo.owner}/${repo.name} is not accessible (GitHub answered 404); the mirror is kept`, {
      owner: repo.owner,
      name: repo.name,
    });
  }
  await ctx.store.updateRepo(repoId, { owner: found.owner, name: found.name, private: found.private, defaultBranch: found.defaultBranch });
  // A default-branch change missed while offline may be why the tracked branch is gone.
  const rebuilt = found.defaultBranch === repo.defaultBranch ? null : await refreshConfig(ctx, repoId);
  return rebuilt ?? clearMirror(ctx, (await ctx.store.getRepo(repoId)) ?? repo);
}
