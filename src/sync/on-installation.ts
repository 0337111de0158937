import type { Context } from "probot";
import type { HandlerDeps } from "./handler-deps.js";
import { installRepos } from "./install-repos.js";
import { installationIdOf, isObject, parseRepoRefs, type RepoRef } from "./payload-parts.js";
import { purgeRepos } from "./purge-repos.js";

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
      await installRepos(deps, context.octokit, context.log, event.installationId, event.repos);
      return;
    }
    const stored = (await deps.store.listRepos()).filter((repo) => repo.installationId === event.installationId);
    await purgeRepos(deps, context.log, new Set([...event.repos.map((repo) => repo.id), ...stored.map((repo) => repo.id)]), "app uninstalled");
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
    await purgeRepos(deps, context.log, removed.repos.map((repo) => repo.id), "repository removed from the installation");
    await installRepos(deps, context.octokit, context.log, added.installationId, added.repos);
  };
}
