import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { catchUp, type CatchUpHints, type SyncTarget } from "./catch-up.js";
import { createMirrorFilter } from "./mirror-filter.js";
import { refreshConfig } from "./refresh-config.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Catches the mirror up with a commit of the tracked branch, then re-reads the config if the change
 * touched `.github/gitdisk.yml` on the default branch. The diff sees that exactly when the file is
 * mirrored; when the mirror settings leave it out, `configHint` (the push's commits may touch it) decides.
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
  if (!repo || repo.branch !== repo.defaultBranch) return outcome;
  const configMirrored = createMirrorFilter(repo.config.mirror).acceptsPath(REPO_CONFIG_PATH);
  if (!(touched.has(REPO_CONFIG_PATH) || (configHint && !configMirrored))) return outcome;
  return (await refreshConfig(ctx, repoId)) ?? outcome;
}
