import type { Context, Logger, ProbotOctokit } from "probot";
import { repoContext, type HandlerDeps } from "./handler-deps.js";
import { installRepo } from "./install-repo.js";
import { installationIdOf, isObject, parseRepoRefs, type RepoRef } from "./payload-parts.js";

async function installAll(deps: HandlerDeps, octokit: ProbotOctokit, log: Logger, installationId: number, repos: RepoRef[]): Promise<void> {
  for (const { id, owner, name } of repos) {
    const repoLog = log.child({ repo: `${owner}/${name}`, repoId: id });
    await deps.tasks.run(id, repoLog, () => installRepo(repoContext(deps.store, octokit, owner, name, repoLog), installationId));
  }
}

async function purgeAll(deps: HandlerDeps, log: Logger, repoIds: Iterable<number>): Promise<void> {
  for (const id of repoIds) {
    await deps.tasks.run(id, log, async () => {
      await deps.store.deleteRepo(id);
      log.info({ repoId: id }, "repository uninstalled: mirror purged");
      return null;
    });
  }
}

/** The installation id and a repository list of an installation event, or undefined when malformed. */
function parseInstallationEvent(payload: unknown, listKey: string): { installationId: number; repos: RepoRef[] } | undefined {
  if (!isObject(payload)) return undefined;
  const installationId = installationIdOf(payload);
  const repos = parseRepoRefs(payload[listKey]);
  return installationId === undefined || repos === undefined ? undefined : { installationId, repos };
}

/** `installation.created` mirrors every listed repository; `installation.deleted` purges all of the installation's. */
export function onInstallation(deps: HandlerDeps) {
  return async (context: Context<"installation.created" | "installation.deleted">): Promise<void> => {
    const event = parseInstallationEvent(context.payload, "repositories");
    if (!event) {
      context.log.warn("ignored a malformed installation payload");
      return;
    }
    if (context.payload.action === "created") {
      await installAll(deps, context.octokit, context.log, event.installationId, event.repos);
      return;
    }
    const stored = (await deps.store.listRepos()).filter((repo) => repo.installationId === event.installationId);
    await purgeAll(deps, context.log, new Set([...event.repos.map((repo) => repo.id), ...stored.map((repo) => repo.id)]));
  };
}

/** `installation_repositories`: repositories added to or removed from an installation. */
export function onInstallationRepositories(deps: HandlerDeps) {
  return async (context: Context<"installation_repositories">): Promise<void> => {
    const added = parseInstallationEvent(context.payload, "repositories_added");
    const removed = parseInstallationEvent(context.payload, "repositories_removed");
    if (!added || !removed) {
      context.log.warn("ignored a malformed installation_repositories payload");
      return;
    }
    await purgeAll(deps, context.log, removed.repos.map((repo) => repo.id));
    await installAll(deps, context.octokit, context.log, added.installationId, added.repos);
  };
}
