import type { Context } from "probot";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { checkRepository } from "./check-repository.js";
import { type HandlerDeps, repoContext } from "./handler-deps.js";
import { installRepo } from "./install-repo.js";
import { awaitOwnCommit, isGitdiskCommit } from "./own-commit.js";
import { parsePushEvent } from "./push-event.js";
import { mayTouch } from "./push-hints.js";
import { refreshConfig } from "./refresh-config.js";
import type { RepoSyncContext } from "./repo-sync-context.js";
import { syncPush } from "./sync-push.js";

const BRANCH_PREFIX = "refs/heads/";

/**
 * A push payload disagreeing with the visibility held: saying private closes keyless reads at
 * once; either way GitHub is asked, and only its answer opens them (a failed check keeps them closed).
 */
async function recheckVisibility(deps: HandlerDeps, ctx: RepoSyncContext, repoId: number, payloadPrivate: boolean): Promise<void> {
  if (payloadPrivate) await deps.visibility.close(repoId, ctx.log, "a push payload says it is private");
  await deps.tasks.run(repoId, ctx.log, async () => {
    await checkRepository(ctx, repoId, { doubt: true });
    return null;
  });
}

/**
 * `push`: only the tracked branch is synced; tags and other branches cost nothing, except a push to
 * the default branch that may change `.github/gitdisk.yml` while another branch is tracked.
 */
export function onPush(deps: HandlerDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const push = parsePushEvent(context.payload);
    if ("problem" in push) {
      context.log.warn({ problem: push.problem }, "ignored a malformed push payload");
      return;
    }
    const { id, owner, name } = push.repository;
    const log = context.log.child({ repo: `${owner}/${name}`, repoId: id });
    const ctx = repoContext(deps, context.octokit, owner, name, log);
    const repo = await deps.store.getRepo(id);
    // Any push, of a tag too, says whether the repository is private.
    if (repo && push.repository.private !== repo.private) await recheckVisibility(deps, ctx, id, push.repository.private);
    if (!push.ref.startsWith(BRANCH_PREFIX)) return;
    const branch = push.ref.slice(BRANCH_PREFIX.length);
    if (!repo) {
      if (push.installationId === null && !deps.tokenMode) {
        log.info("push from a repository without an installation: ignored");
        return;
      }
      log.info("push from a repository not mirrored yet: mirroring it in full");
      await deps.tasks.run(id, log, () => installRepo(ctx, push.installationId));
      return;
    }
    deps.heads.pushed(id, branch, push.before, push.deleted ? null : push.after);
    if (branch === repo.branch) {
      if (isGitdiskCommit(push.headCommitMessage) && repo.sha !== push.after) await awaitOwnCommit(deps.appliedCommits, id, push.after);
      await deps.tasks.run(id, log, () => syncPush(ctx, id, push));
    } else if (branch === repo.defaultBranch && mayTouch(push, REPO_CONFIG_PATH)) {
      await deps.tasks.run(id, log, () => refreshConfig(ctx, id));
    }
  };
}
