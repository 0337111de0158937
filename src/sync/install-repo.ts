import { DEFAULT_REPO_CONFIG } from "../config/repo-config.js";
import { followBranch } from "./follow-branch.js";
import { loadRepoConfig } from "./load-repo-config.js";
import { sameMirrorSettings, trackedBranch } from "./mirror-filter.js";
import { remirror } from "./remirror.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

/**
 * Starts mirroring the reader's repository: reads its metadata (the webhook payload has no default
 * branch) and config, records it, and mirrors its tracked branch in full. A repository already
 * mirrored with the same settings only catches up.
 */
export async function installRepo(ctx: RepoSyncContext, installationId: number | null): Promise<SyncOutcome> {
  const found = await ctx.reader.getRepository();
  if (!found) throw new SyncError(`repository ${ctx.reader.owner}/${ctx.reader.name} is not accessible (GitHub answered 404)`);
  const existing = await ctx.store.getRepo(found.id);
  const read = await loadRepoConfig(ctx.reader);
  if (!read.ok) ctx.log.warn({ configError: read.error }, "invalid .github/gitdisk.yml: using the previous or default configuration");
  const config = read.ok ? read.config : (existing?.config ?? DEFAULT_REPO_CONFIG);
  const branch = trackedBranch(config, found.defaultBranch);
  await ctx.store.upsertRepo({ ...found, installationId }, { branch, config });
  await ctx.store.updateRepo(found.id, { branch, config, configError: read.ok ? null : read.error });
  const upToDate = existing?.sha != null && existing.branch === branch && sameMirrorSettings(existing.config.mirror, config.mirror);
  return upToDate ? followBranch(ctx, found.id) : remirror(ctx, found.id);
}
