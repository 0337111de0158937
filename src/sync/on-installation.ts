import type { Context } from "probot";
import type { HandlerDeps } from "./handler-deps.js";
import { installRepos } from "./install-repos.js";
import { parseInstallationEvent } from "./installation-event.js";
import { purgeRepos } from "./purge-repos.js";

/** `installation.created` mirrors every listed repository; `installation.deleted` purges all of the installation's. */
export function onInstallation(deps: HandlerDeps) {
  return async (context: Context<"installation.created" | "installation.deleted">): Promise<void> => {
    const event = parseInstallationEvent(context.payload, ["repositories"]);
    if ("problem" in event) {
      context.log.warn({ problem: event.problem }, "ignored a malformed installation payload");
      return;
    }
    if (context.payload.action === "created") {
      await installRepos(deps, context.octokit, context.log, event.installationId, event.lists.repositories);
      return;
    }
    const stored = (await deps.store.listRepos()).filter((repo) => repo.installationId === event.installationId);
    await purgeRepos(
      deps,
      context.log,
      new Set([...event.lists.repositories.map((repo) => repo.id), ...stored.map((repo) => repo.id)]),
      "app uninstalled",
    );
  };
}

/** `installation_repositories`: repositories added to or removed from an installation. */
export function onInstallationRepositories(deps: HandlerDeps) {
  return async (context: Context<"installation_repositories">): Promise<void> => {
    const event = parseInstallationEvent(context.payload, ["repositories_added", "repositories_removed"]);
    if ("problem" in event) {
      context.log.warn({ problem: event.problem }, "ignored a malformed installation_repositories payload");
      return;
    }
    const { repositories_added: added, repositories_removed: removed } = event.lists;
    await purgeRepos(
      deps,
      context.log,
      removed.map((repo) => repo.id),
      "repository removed from the installation",
    );
    await installRepos(deps, context.octokit, context.log, event.installationId, added);
  };
}
