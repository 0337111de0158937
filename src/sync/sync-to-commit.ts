import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { catchUp, type CatchUpHints, type SyncTarget } from "./catch-up.js";
import { refreshConfig } from "./refresh-config.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Catches the mirror up with a commit of the tracked branch, then re-reads the config if the change
 * touched `.github/gitdisk.yml` on the default branch (`configHint`: the push's commits say it may have,
 * which matters when the file itself is not mirrored).
 */
export async function syncToCommit(
  ctx: RepoSyncContext,
  repoId: number,
  target: SyncTarget,
  hints?: CatchUpHints,
  configHint = false,
): Promise<SyncOutcome> {
  const { outcome, touched } = await catchUp(ctx, repoId, target, hints);
  if (outcome !== "applied") return outcome;
  const repo = await ctx.store.getRepo(repoId);
  if (!repo || repo.branch !== repo.defaultBranch || !(configHint || touched.has(REPO_CONFIG_PATH))) return outcome;
  return (await refreshConfig(ctx, repoId)) ?? outcome;
}
