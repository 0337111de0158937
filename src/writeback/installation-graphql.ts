import type { Probot } from "probot";
import { AppError } from "../errors.js";
import type { RepoState } from "../store/store.js";
import type { GraphqlRequest } from "./branch-client.js";

/**
 * `graphqlFor` for createWriteback: the GraphQL client of the repository's installation (Probot
 * caches installation tokens for an hour). In token mode every client carries the one token, so a
 * repository needs no installation.
 */
export function installationGraphql(app: Pick<Probot, "auth">, tokenMode: boolean): (repo: RepoState) => Promise<GraphqlRequest> {
  return async (repo) => {
    if (repo.installationId === null && !tokenMode) {
      // Classified as permanent: the writes end failed with this reason instead of being retried.
      throw new AppError("not-installed", `the GitHub App is not installed on ${repo.owner}/${repo.name}`);
    }
    const octokit = await app.auth(repo.installationId ?? undefined);
    return octokit.graphql;
  };
}
