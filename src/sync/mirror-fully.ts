import { createMirrorFilter } from "../config/mirror-filter.js";
import type { FileEntry, RepoState, SkippedFile } from "../store/store.js";
import { type ApplyResult, applyPlan } from "./apply-plan.js";
import { BlobStager } from "./blob-stager.js";
import { ByteBudget } from "./byte-budget.js";
import { tooBig } from "./fetch-contents.js";
import { logSkipped } from "./log-skipped.js";
import { planFromTree } from "./plan-from-tree.js";
import { readTarball } from "./read-tarball.js";
import type { MirrorContext } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

/** Paths whose content differs between the mirror and the new files (to notice a changed config). */
function changedPaths(index: ReadonlyMap<string, string>, files: readonly FileEntry[]): Set<string> {
  const touched = new Set(index.keys());
  for (const { path, sha } of files) {
    if (index.get(path) === sha) touched.delete(path);
    else touched.add(path);
  }
  return touched;
}

/**
 * Replaces the whole mirror with commit `sha` from its tarball: one call (and a redirect) whatever
 * the repository's size. The archive is streamed: contents go to the store a few files at a time,
 * each once, up to the repository's byte cap, and the files switch to the new commit in one change
 * at the end. An archive that `.gitattributes` may have altered is replaced by the commit's tree
 * and blobs (the archive's contents then cost no download), unless that tree is too big to list.
 */
export async function mirrorFully(ctx: MirrorContext, repo: RepoState, sha: string): Promise<ApplyResult> {
  const filter = createMirrorFilter(repo.config.mirror);
  const stager = new BlobStager(ctx.store);
  try {
    const budget = new ByteBudget(ctx.store.maxRepoBytes);
    const files: FileEntry[] = [];
    const skipped: SkippedFile[] = [];
    const contents = await readTarball(await ctx.reader.openTarball(sha), filter, async ({ content, ...file }) => {
      const { path, sha: blob } = file;
      if (content === null) {
        skipped.push({ path, sha: blob, ...tooBig(file.size, repo.config.mirror.maxFileBytes) });
      } else if (!budget.admit(file.sha, file.size)) {
        skipped.push({ path, sha: blob, reason: budget.refusal, cause: "repo-full" });
      } else {
        files.push(file);
        await stager.add({ sha: file.sha, content });
      }
    });
    await stager.flush();
    if (contents.commitId !== null && contents.commitId !== sha) {
      throw new SyncError(`the tarball of ${sha} holds commit ${contents.commitId}`, { sha, commitId: contents.commitId });
    }
    const index = await ctx.store.fileIndex(repo.id);
    if (contents.usesExportAttributes) {
      const tree = await ctx.reader.getTree(sha);
      if (tree && !tree.truncated) {
        ctx.log.info({ sha }, ".gitattributes has export attributes: mirroring from the tree instead of the archive");
        return await applyPlan(ctx, repo, sha, planFromTree(tree.entries, index, filter), index, false);
      }
      ctx.log.warn({ sha }, ".gitattributes has export attributes and the tree is too big to list: mirroring the archive as is");
    }
    const change = { fromSha: repo.sha, toSha: sha, upserts: files, deletes: [], replaceAll: true, skipped };
    if (!(await ctx.store.applyChanges(repo.id, change))) return { kind: "conflict" };
    ctx.log.info({ sha, files: files.length }, "mirrored in full");
    logSkipped(ctx, skipped);
    return { kind: "applied", touched: changedPaths(index, files) };
  } finally {
    await ctx.store.sweepBlobs(stager.staged);
  }
}
