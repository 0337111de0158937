import type { RepoState } from "../store/store.js";
import { applyPlan, type ApplyResult } from "./apply-plan.js";
import { createMirrorFilter } from "./mirror-filter.js";
import { planFromTree } from "./plan-from-tree.js";
import { readTarball } from "./read-tarball.js";
import type { RepoSyncContext } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

/** Paths whose content differs between the mirror and the new files (to notice a changed config). */
function changedPaths(index: ReadonlyMap<string, string>, files: readonly { path: string; sha: string }[]): Set<string> {
  const touched = new Set(index.keys());
  for (const { path, sha } of files) {
    if (index.get(path) === sha) touched.delete(path);
    else touched.add(path);
  }
  return touched;
}

/**
 * Replaces the whole mirror with commit `sha` from its tarball: one call (and a redirect) whatever
 * the repository's size. An archive that `.gitattributes` may have altered is replaced by the
 * commit's tree and blobs, unless that tree is too big for GitHub to list.
 */
export async function mirrorFully(ctx: RepoSyncContext, repo: RepoState, sha: string): Promise<ApplyResult> {
  const filter = createMirrorFilter(repo.config.mirror);
  const contents = await readTarball(await ctx.reader.openTarball(sha), filter);
  if (contents.commitId !== null && contents.commitId !== sha) {
    throw new SyncError(`the tarball of ${sha} holds commit ${contents.commitId}`, { sha, commitId: contents.commitId });
  }
  const index = await ctx.store.fileIndex(repo.id);
  if (contents.usesExportAttributes) {
    const tree = await ctx.reader.getTree(sha);
    if (tree && !tree.truncated) {
      ctx.log.info({ sha }, ".gitattributes has export attributes: mirroring from the tree instead of the archive");
      return applyPlan(ctx, repo, sha, planFromTree(tree.entries, index, filter), index, false);
    }
    ctx.log.warn({ sha }, ".gitattributes has export attributes and the tree is too big to list: mirroring the archive as is");
  }
  const applied = await ctx.store.applyChanges(repo.id, { fromSha: repo.sha, toSha: sha, upserts: contents.files, deletes: [], replaceAll: true });
  if (!applied) return { kind: "conflict" };
  ctx.log.info({ sha, files: contents.files.length }, "mirrored in full");
  return { kind: "applied", touched: changedPaths(index, contents.files) };
}
