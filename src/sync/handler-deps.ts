import type { Logger, ProbotOctokit } from "probot";
import type { AppliedCommits } from "../applied-commits.js";
import type { BranchHeads } from "../branch-heads.js";
import type { MirrorStore } from "../store/store.js";
import { GitHubReader } from "./github-reader.js";
import type { RepoSyncContext } from "./repo-sync-context.js";
import type { RepoTasks } from "./repo-tasks.js";
import type { RepoVisibility } from "./repo-visibility.js";

/** What the webhook handlers share. */
export interface HandlerDeps {
  store: MirrorStore;
  tasks: RepoTasks;
  /** Token mode: a personal access token and repository webhooks, so events carry no installation. */
  tokenMode: boolean;
  /** Told of every push to a mirrored repository as it arrives, for the write-back's next commit. */
  heads: BranchHeads;
  /** Where the write-back announces its own commits applied to the mirror, which their pushes wait for. */
  appliedCommits: AppliedCommits;
  visibility: RepoVisibility;
}

export function repoContext(
  { store, visibility }: Pick<HandlerDeps, "store" | "visibility">,
  octokit: ProbotOctokit,
  owner: string,
  name: string,
  log: Logger,
): RepoSyncContext {
  return { store, reader: new GitHubReader(octokit, owner, name), log, visibility };
}
