import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { healRepo } from "./heal-repo.js";
import type { PushEvent } from "./push-event.js";
import { looksBig, mayTouch } from "./push-hints.js";
import type { RepoSyncContext, SyncOutcome } from "./repo-sync-context.js";
import { syncToCommit } from "./sync-to-commit.js";

/**
 * Applies a push to the tracked branch. A deletion is checked against the live ref first, so a stale
 * delivery of an old deletion cannot wipe a branch that exists again.
 */
export function syncPush(ctx: RepoSyncContext, repoId: number, push: PushEvent): Promise<SyncOutcome> {
  if (push.deleted) return healRepo(ctx, repoId);
  return syncToCommit(
    ctx,
    repoId,
    { sha: push.after, safe: false },
    { preferTree: push.forced || looksBig(push), fastForwardFrom: push.forced ? null : push.before },
    mayTouch(push, REPO_CONFIG_PATH),
  );
}
