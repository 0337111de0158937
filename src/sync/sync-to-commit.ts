import { createMirrorFilter } from "../config/mirror-filter.js";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import type { RepoState } from "../store/store.js";
import { type CatchUpHints, catchUp, type SyncTarget } from "./catch-up.js";
import { refreshConfig } from "./refresh-config.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Catches the mirror up with a commit of the tracked branch, then re-reads the config if the change
 * touched `.github/gitdisk.yml` on the default branch (or what the config depends on). The diff sees
 * that exactly when the file is mirrored; when the mirror settings leave it out, `configHint` (the
 * push's commits may touch it) decides.
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
  if (!repo || !configMayHaveChanged(repo, touched, configHint)) return outcome;
  return (await refreshConfig(ctx, repoId)) ?? outcome;
}

/**
 * Whether a change of the tracked branch calls for reading the config again: it touched the file, or
 * a schema file it names (which may now be gone or too big to mirror), or the config is in error,
 * when the change may be what fixes it (the schema file it lacked, say).
 */
function configMayHaveChanged(repo: RepoState, touched: ReadonlySet<string>, configHint: boolean): boolean {
  if (repo.configError !== null) return true;
  if (Object.values(repo.config.collections).some((collection) => collection.schema !== undefined && touched.has(collection.schema)))
    return true;
  if (repo.branch !== repo.defaultBranch) return false;
  const configMirrored = createMirrorFilter(repo.config.mirror).acceptsPath(REPO_CONFIG_PATH);
  return touched.has(REPO_CONFIG_PATH) || (configHint && !configMirrored);
}
