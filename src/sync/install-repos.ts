import type { Logger, ProbotOctokit } from "probot";
import { type HandlerDeps, repoContext } from "./handler-deps.js";
import { installRepo } from "./install-repo.js";
import type { RepoRef } from "./payload-parts.js";

/** Mirrors each repository of an installation in full, one after the other. */
export async function installRepos(
  deps: HandlerDeps,
  octokit: ProbotOctokit,
  log: Logger,
  installationId: number,
  repos: readonly RepoRef[],
): Promise<void> {
  for (const { id, owner, name } of repos) {
    const repoLog = log.child({ repo: `${owner}/${name}`, repoId: id });
    await deps.tasks.run(id, repoLog, () => installRepo(repoContext(deps, octokit, owner, name, repoLog), installationId));
  }
}
