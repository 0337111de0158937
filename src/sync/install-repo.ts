import { sameMirrorSettings, trackedBranch } from "../config/mirror-filter.js";
import { WITHHELD_REPO_CONFIG } from "../config/repo-config.js";
import { followBranch } from "./follow-branch.js";
import { loadRepoConfig } from "./load-repo-config.js";
import { remirror } from "./remirror.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

/**
 * Starts mirroring the reader's repository: reads its metadata (the webhook payload has no default
 * branch) and config, records it, and mirrors its tracked branch in full. A repository already
 * mirrored with the same settings only catches up. The defaults apply only when there is no config
 * file: an invalid one with no valid one known before withholds the repository until it is fixed.
 */
export async function installRepo(ctx: RepoSyncContext, installationId: number | null): Promise<SyncOutcome> {
  const found = await ctx.reader.getRepository();
  if (!found) throw new SyncError(`repository ${ctx.reader.owner}/${ctx.reader.name} is not accessible (GitHub answered 404)`);
  const existing = await ctx.store.getRepo(found.id);
  const read = await loadRepoConfig(ctx.reader, found.defaultBranch);
  const config = read.ok ? read.config : (existing?.config ?? WITHHELD_REPO_CONFIG);
  if (!read.ok) {
    const keeping = config.withheld ? "nothing is mirrored or served until a valid one is pushed" : "keeping the previous configuration";
    ctx.log.warn({ configError: read.error, err: read.cause }, `invalid .github/gitdisk.yml: ${keeping}`);
  }
  const branch = trackedBranch(config, found.defaultBranch);
  await ctx.store.upsertRepo({ ...found, installationId }, { branch, config });
  await ctx.store.updateRepo(found.id, { branch, config, configError: read.ok ? null : read.error });
  if (config.withheld) {
    // Nothing to mirror, but following the head keeps later pushes, the one fixing the config among them, to a comparison each.
    const head = await ctx.reader.getBranchHead(branch);
    await ctx.store.applyChanges(found.id, { fromSha: null, toSha: head, upserts: [], deletes: [], replaceAll: true });
    return "unchanged";
  }
  const upToDate = existing?.sha != null && existing.branch === branch && sameMirrorSettings(existing.config.mirror, config.mirror);
  return upToDate ? followBranch(ctx, found.id) : remirror(ctx, found.id);
}
