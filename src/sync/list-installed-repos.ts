import type { Probot } from "probot";
import type { RepoRef } from "./payload-parts.js";

/** An installation of the app and, unless it is suspended (its token refused), its repositories. */
export interface InstalledRepos {
  installationId: number;
  suspended: boolean;
  repos: RepoRef[];
}

const PER_PAGE = 100;

/**
 * What the app is installed on, from GitHub itself: `GET /app/installations` with the app's JWT,
 * then `GET /installation/repositories` with each installation's token, every page of both.
 * Throws when any of it cannot be read: a partial list must not be mistaken for uninstalls.
 */
export async function listInstalledRepos(app: Pick<Probot, "auth">): Promise<InstalledRepos[]> {
  const asApp = await app.auth();
  const installations = await asApp.paginate("GET /app/installations", { per_page: PER_PAGE });
  const listed: InstalledRepos[] = [];
  for (const installation of installations) {
    const suspended = installation.suspended_at !== null && installation.suspended_at !== undefined;
    if (suspended) {
      listed.push({ installationId: installation.id, suspended, repos: [] });
      continue;
    }
    const asInstallation = await app.auth(installation.id);
    const repos = await asInstallation.paginate("GET /installation/repositories", { per_page: PER_PAGE });
    listed.push({
      installationId: installation.id,
      suspended,
      repos: repos.map((repo) => ({ id: repo.id, owner: repo.owner.login, name: repo.name })),
    });
  }
  return listed;
}
