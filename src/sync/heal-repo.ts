import { checkRepository } from "./check-repository.js";
import { followBranch } from "./follow-branch.js";
import { refreshConfig } from "./refresh-config.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";

/**
 * Takes the repository's identity and visibility from GitHub, re-reads the config when the
 * default branch changed (perhaps while gitdisk was down), then compares the mirror with the
 * tracked branch's live head and catches up: two calls when nothing changed. A repository GitHub
 * no longer shows is reported and closed to keyless reads, not purged: access may come back.
 */
export async function healRepo(ctx: RepoSyncContext, repoId: number): Promise<SyncOutcome> {
  const repo = await ctx.store.getRepo(repoId);
  if (!repo) return "unchanged";
  const found = await checkRepository(ctx, repoId, { doubt: false });
  const rebuilt = found.defaultBranch === repo.defaultBranch ? null : await refreshConfig(ctx, repoId);
  return rebuilt ?? followBranch(ctx, repoId);
}
