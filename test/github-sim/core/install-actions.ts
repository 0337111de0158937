import type { Installation, RepoRecord } from "../state/world.js";
import { WorldError } from "../state/world.js";
import { installationPayload, installationRepositoriesPayload } from "../webhooks/payloads.js";
import type { SimCore } from "./sim-core.js";

function reposByName(core: SimCore, owner: string, names: readonly string[]): RepoRecord[] {
  return names.map((name) => {
    const repoName = name.includes("/") ? name.split("/")[1]! : name;
    const repo = core.world.repoByName(owner, repoName);
    if (!repo) throw new WorldError(`no repository ${owner}/${repoName}`);
    return repo;
  });
}

/**
 * Installs the app on an account (all its repositories, or some), or adds repositories to an
 * existing installation. Sends `installation.created` or `installation_repositories.added`.
 */
export function install(core: SimCore, accountLogin: string, repositories: "all" | readonly string[]): Installation {
  const account = core.world.account(accountLogin);
  if (!account) throw new WorldError(`no account ${accountLogin}`);
  const sender = account.type === "User" ? account : core.defaultUser;
  const { app } = core.world;
  const existing = core.world.installationFor(account);
  if (!existing) {
    const chosen = repositories === "all" ? [] : reposByName(core, account.login, repositories);
    const installation = core.world.createInstallation(
      account,
      repositories === "all" ? "all" : "selected",
      chosen.map((repo) => repo.id),
    );
    core.webhooks.send(
      "installation",
      installationPayload("created", installation, core.world.installationRepos(installation), app, core.urls, sender),
    );
    return installation;
  }
  const before = new Set(core.world.installationRepos(existing).map((repo) => repo.id));
  if (repositories === "all") {
    existing.selection = "all";
    existing.repositoryIds.clear();
  } else {
    for (const repo of reposByName(core, account.login, repositories)) existing.repositoryIds.add(repo.id);
  }
  existing.updatedAt = core.now();
  const added = core.world.installationRepos(existing).filter((repo) => !before.has(repo.id));
  if (added.length > 0) {
    core.webhooks.send("installation_repositories", installationRepositoriesPayload("added", existing, added, app, core.urls, sender));
  }
  return existing;
}

/** Removes repositories from a "selected" installation; sends `installation_repositories.removed`. */
export function removeFromInstallation(core: SimCore, accountLogin: string, repositories: readonly string[]): Installation {
  const account = core.world.account(accountLogin);
  const installation = account ? core.world.installationFor(account) : undefined;
  if (!account || !installation) throw new WorldError(`the app is not installed on ${accountLogin}`);
  const repos = reposByName(core, account.login, repositories);
  if (installation.selection === "all") {
    // Leaving "all" keeps every other repository selected, as GitHub's settings page does.
    installation.selection = "selected";
    for (const repo of core.world.reposOf(account)) installation.repositoryIds.add(repo.id);
  }
  const removed = repos.filter((repo) => installation.repositoryIds.delete(repo.id));
  installation.updatedAt = core.now();
  if (removed.length > 0) {
    const sender = account.type === "User" ? account : core.defaultUser;
    core.webhooks.send(
      "installation_repositories",
      installationRepositoriesPayload("removed", installation, removed, core.world.app, core.urls, sender),
    );
  }
  return installation;
}

/** Uninstalls the app from an account: its tokens stop working; sends `installation.deleted`. */
export function uninstall(core: SimCore, accountLogin: string): void {
  const account = core.world.account(accountLogin);
  const installation = account ? core.world.installationFor(account) : undefined;
  if (!account || !installation) throw new WorldError(`the app is not installed on ${accountLogin}`);
  const repos = core.world.installationRepos(installation);
  core.world.installations.delete(installation.id);
  core.tokens.revokeInstallation(installation.id);
  const sender = account.type === "User" ? account : core.defaultUser;
  core.webhooks.send("installation", installationPayload("deleted", installation, repos, core.world.app, core.urls, sender));
}
