import type { Logger } from "probot";
import type { HandlerDeps } from "./handler-deps.js";

/**
 * Purges the mirrors of repositories the app no longer covers. Their write state stays, so the
 * outcome of their last writes can still be asked for with the key.
 */
export async function purgeRepos(deps: HandlerDeps, log: Logger, repoIds: Iterable<number>, reason: string): Promise<void> {
  for (const id of repoIds) {
    await deps.tasks.run(id, log, async () => {
      await deps.store.deleteRepo(id);
      log.info({ repoId: id }, `${reason}: mirror purged`);
      return null;
    });
  }
}
