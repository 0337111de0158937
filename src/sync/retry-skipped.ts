import type { RepoState } from "../store/store.js";
import { applyPlan } from "./apply-plan.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Fetches again the files of the mirrored commit that GitHub failed to give last time (a heal or
 * another delivery does it), so a passing failure leaves no file out for long.
 */
export async function retrySkipped(ctx: RepoSyncContext, repo: RepoState & { sha: string }): Promise<SyncOutcome> {
  const wanted = repo.skipped.filter((file) => file.cause === "fetch-failed").map(({ path, sha }) => ({ path, sha }));
  if (wanted.length === 0) return "unchanged";
  ctx.log.info({ files: wanted.length }, "fetching again the files GitHub did not give last time");
  const plan = { wanted, deletes: [], touched: new Set<string>() };
  const result = await applyPlan(ctx, repo, repo.sha, plan, await ctx.store.fileIndex(repo.id), false);
  return result.kind === "applied" ? "applied" : "unchanged";
}
