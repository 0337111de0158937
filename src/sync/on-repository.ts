import type { Context } from "probot";
import { checkRepository } from "./check-repository.js";
import { repoContext, type HandlerDeps } from "./handler-deps.js";
import { isObject, type RepoRef } from "./payload-parts.js";
import { refreshConfig } from "./refresh-config.js";

/** The repository a `repository` event names, and whether the payload calls it private. */
export function parseRepositoryEvent(payload: unknown): (RepoRef & { private: boolean }) | { problem: string } {
  const repository = isObject(payload) ? payload.repository : undefined;
  if (!isObject(repository) || !Number.isSafeInteger(repository.id)) return { problem: "repository is missing or has no id" };
  const owner = isObject(repository.owner) ? repository.owner.login : undefined;
  if (typeof owner !== "string" || owner === "") return { problem: "repository.owner has no login" };
  if (typeof repository.name !== "string" || repository.name === "") return { problem: "repository.name is not a string" };
  if (typeof repository.private !== "boolean") return { problem: "repository.private is not a boolean" };
  return { id: repository.id as number, owner, name: repository.name, private: repository.private };
}

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
