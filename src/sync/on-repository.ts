import type { Context } from "probot";
import { repoContext, type HandlerDeps } from "./handler-deps.js";
import { isObject } from "./payload-parts.js";
import { refreshConfig } from "./refresh-config.js";

interface RepositoryFacts {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
}

function parseRepository(payload: unknown): RepositoryFacts | undefined {
  const repository = isObject(payload) ? payload.repository : undefined;
  if (!isObject(repository) || !Number.isSafeInteger(repository.id)) return undefined;
  const owner = isObject(repository.owner) ? repository.owner.login : undefined;
  const { name, default_branch: defaultBranch } = repository;
  if (typeof owner !== "string" || typeof name !== "string" || typeof defaultBranch !== "string" || typeof repository.private !== "boolean") {
    return undefined;
  }
  return { id: repository.id as number, owner, name, private: repository.private, defaultBranch };
}

/**
 * `repository`: deleted → purge; otherwise (renamed, transferred, privatized, publicized, edited…)
 * the payload's identity is recorded, and a new default branch re-reads the config from it and
 * re-mirrors when that changes the tracked branch.
 */
export function onRepository(deps: HandlerDeps) {
  return async (context: Context<"repository">): Promise<void> => {
    const facts = parseRepository(context.payload);
    if (!facts) {
      context.log.warn("ignored a malformed repository payload");
      return;
    }
    const repo = await deps.store.getRepo(facts.id);
    if (!repo) return;
    const log = context.log.child({ repo: `${facts.owner}/${facts.name}`, repoId: facts.id });
    await deps.tasks.run(facts.id, log, async () => {
      if (context.payload.action === "deleted") {
        await deps.store.deleteRepo(facts.id);
        log.info("repository deleted on GitHub: mirror purged");
        return null;
      }
      await deps.store.updateRepo(facts.id, { owner: facts.owner, name: facts.name, private: facts.private, defaultBranch: facts.defaultBranch });
      if (facts.defaultBranch === repo.defaultBranch) return null;
      log.info({ from: repo.defaultBranch, to: facts.defaultBranch }, "default branch changed: re-reading the configuration");
      return refreshConfig(repoContext(deps.store, context.octokit, facts.owner, facts.name, log), facts.id);
    });
  };
}
