import type { Context } from "probot";
import { checkRepository } from "./check-repository.js";
import { type HandlerDeps, repoContext } from "./handler-deps.js";
import { refreshConfig } from "./refresh-config.js";
import { parseRepositoryEvent } from "./repository-event.js";

/**
 * `repository`: deleted → purge. Anything else (renamed, transferred, privatized, publicized,
 * edited…) is a reason to ask GitHub for the repository as it is now, since a delivery may be
 * stale, reordered or replayed: its name, owner, visibility and default branch are taken from that
 * answer; a new default branch re-reads the config from it and re-mirrors when that changes the
 * tracked branch. A payload saying private closes keyless reads at once; none opens them.
 */
export function onRepository(deps: HandlerDeps) {
  return async (context: Context<"repository">): Promise<void> => {
    const facts = parseRepositoryEvent(context.payload);
    if ("problem" in facts) {
      context.log.warn({ problem: facts.problem }, "ignored a malformed repository payload");
      return;
    }
    const known = await deps.store.getRepo(facts.id);
    if (!known) return;
    const log = context.log.child({ repo: `${facts.owner}/${facts.name}`, repoId: facts.id });
    const action = context.payload.action;
    if (action === "deleted") {
      await deps.tasks.run(facts.id, log, async () => {
        await deps.store.deleteRepo(facts.id);
        log.info("repository deleted on GitHub: mirror purged");
        return null;
      });
      return;
    }
    if (facts.private && !known.private) await deps.visibility.close(facts.id, log, `a repository ${action} event says it is private`);
    await deps.tasks.run(facts.id, log, async () => {
      const before = await deps.store.getRepo(facts.id);
      if (!before) return null;
      const ctx = repoContext(deps, context.octokit, facts.owner, facts.name, log);
      const found = await checkRepository(ctx, facts.id, { doubt: true });
      if (found.defaultBranch === before.defaultBranch) return null;
      log.info({ from: before.defaultBranch, to: found.defaultBranch }, "default branch changed: re-reading the configuration");
      return refreshConfig(ctx, facts.id);
    });
  };
}
