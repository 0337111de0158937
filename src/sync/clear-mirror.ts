import type { RepoState } from "../store/store.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/** The tracked branch is gone: the mirror holds nothing (sha null), and /status says why. */
export async function clearMirror(ctx: RepoSyncContext, repo: RepoState): Promise<SyncOutcome> {
  await ctx.store.applyChanges(repo.id, { fromSha: null, toSha: null, upserts: [], deletes: [], replaceAll: true });
  await ctx.store.updateRepo(repo.id, { lastError: `branch "${repo.branch}" does not exist on GitHub` });
  ctx.log.warn({ branch: repo.branch }, "the tracked branch does not exist: mirror cleared");
  return "branch-missing";
}
