import type { Logger, Probot } from "probot";
import type { HandlerDeps } from "./handler-deps.js";
import { installRepos } from "./install-repos.js";
import { listInstalledRepos } from "./list-installed-repos.js";
import { purgeRepos } from "./purge-repos.js";

/**
 * Brings the set of mirrored repositories in line with the app's installations as GitHub lists
 * them, for whatever webhooks were missed (gitdisk down, a delivery lost, an install right after
 * the manifest flow): mirrors what is installed but not mirrored, purges what is mirrored but no
 * longer installed. Only repositories already mirrored before the listing began are purged, so an
 * install arriving by webhook meanwhile is kept; a suspended installation's mirrors are kept too.
 * Returns the ids it mirrored now (they need no heal this round).
 */
export async function reconcileInstallations(deps: HandlerDeps, app: Pick<Probot, "auth">, log: Logger): Promise<Set<number>> {
  const known = await deps.store.listRepos();
  const installations = await listInstalledRepos(app);
  const listed = new Map<number, number>();
  for (const { installationId, repos } of installations) for (const repo of repos) listed.set(repo.id, installationId);
  const suspended = new Set(
    installations.filter((installation) => installation.suspended).map((installation) => installation.installationId),
  );

  const gone = known.filter((repo) => repo.installationId !== null && !suspended.has(repo.installationId) && !listed.has(repo.id));
  await purgeRepos(
    deps,
    log,
    gone.map((repo) => repo.id),
    "the app is no longer installed on the repository",
  );

  const knownIds = new Set(known.map((repo) => repo.id));
  const mirrored = new Set<number>();
  for (const { installationId, repos } of installations) {
    const missing = repos.filter((repo) => !knownIds.has(repo.id));
    if (missing.length === 0) continue;
    log.info(
      { installationId, repos: missing.map((repo) => `${repo.owner}/${repo.name}`) },
      "installed but not mirrored (a webhook was missed): mirroring",
    );
    await installRepos(deps, await app.auth(installationId), log, installationId, missing);
    for (const repo of missing) mirrored.add(repo.id);
  }
  for (const repo of known) {
    const installationId = listed.get(repo.id);
    if (installationId !== undefined && installationId !== repo.installationId) await deps.store.updateRepo(repo.id, { installationId });
  }
  return mirrored;
}
