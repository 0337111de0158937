import type { GitHubRepository } from "./github-reader.js";
import type { RepoSyncContext } from "./repo-sync-context.js";
import { SyncError } from "./sync-error.js";

export interface CheckOptions {
  /**
   * A sign that the visibility may have changed (a repository event, a push payload that disagrees)
   * makes any failure to confirm it close the repository. Without one, only GitHub not showing the
   * repository does: an outage of GitHub must not take a public site's reads down.
   */
  doubt: boolean;
}

/**
 * Takes a repository's name, owner, default branch and visibility from GitHub itself
 * (`GET /repos/{owner}/{repo}`), never from a webhook payload, which may be stale, reordered or
 * replayed. Throws when GitHub does not confirm it, after closing it as `options` says.
 */
export async function checkRepository(ctx: RepoSyncContext, repoId: number, options: CheckOptions): Promise<GitHubRepository> {
  const ticket = ctx.visibility.ticket(repoId);
  let found: GitHubRepository | null;
  try {
    found = await ctx.reader.getRepository();
  } catch (error) {
    if (options.doubt) await ctx.visibility.close(repoId, ctx.log, "GitHub could not confirm its visibility");
    throw error;
  }
  const where = { owner: ctx.reader.owner, name: ctx.reader.name };
  if (!found || found.id !== repoId) {
    await ctx.visibility.close(repoId, ctx.log, "GitHub does not show it");
    const answer = found ? `names repository ${found.id}` : "answered 404";
    throw new SyncError(
      `repository ${where.owner}/${where.name} is not accessible (GitHub ${answer}); the mirror is kept, readable with the key`,
      where,
    );
  }
  await ctx.store.updateRepo(repoId, { owner: found.owner, name: found.name, defaultBranch: found.defaultBranch });
  await ctx.visibility.settle(repoId, ticket, found.private, ctx.log);
  return found;
}
