import { sameMirrorSettings, trackedBranch } from "../config/mirror-filter.js";
import { loadRepoConfig } from "./load-repo-config.js";
import { remirror } from "./remirror.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Re-reads `.github/gitdisk.yml` from the default branch. An invalid file is recorded as the
 * repository's `configError` and the previous valid config stays (or, when none was ever valid,
 * the repository stays withheld). When the branch or what is mirrored changes, the mirror is
 * rebuilt; returns that outcome, or null when none was needed.
 */
export async function refreshConfig(ctx: RepoSyncContext, repoId: number): Promise<SyncOutcome | null> {
  const repo = await ctx.store.getRepo(repoId);
  if (!repo) return null;
  const read = await loadRepoConfig(ctx.reader, repo.defaultBranch);
  if (!read.ok)
    ctx.log.warn({ configError: read.error, err: read.cause }, "invalid .github/gitdisk.yml: keeping the previous configuration");
  const config = read.ok ? read.config : repo.config;
  const branch = trackedBranch(config, repo.defaultBranch);
  await ctx.store.updateRepo(repoId, { config, branch, configError: read.ok ? null : read.error });
  if (branch === repo.branch && sameMirrorSettings(config.mirror, repo.config.mirror)) return null;
  ctx.log.info({ branch, mirror: config.mirror }, "the configuration changes what is mirrored: mirroring again in full");
  return remirror(ctx, repoId);
}
