import type { TokenRecord } from "../auth/token-registry.js";
import type { Account, Installation, RepoRecord, World } from "../state/world.js";

/** Who is calling: the app itself (JWT), an installation (its token), or a person (PAT or user token). */
export type Principal =
  | { kind: "app" }
  | { kind: "installation"; installation: Installation; token: TokenRecord }
  | { kind: "user"; user: Account; token: TokenRecord };

export type RepoAccess = "none" | "read" | "write";

/** What a caller may do with a repository; "none" makes the repository look absent (404), as on GitHub. */
export function repoAccess(world: World, principal: Principal | null, repo: RepoRecord): RepoAccess {
  if (!principal || principal.kind === "app") return "none";
  if (principal.kind === "installation") {
    const installation = world.installationOfRepo(repo);
    if (!installation || installation.id !== principal.installation.id) return "none";
    if (principal.token.repositoryIds && !principal.token.repositoryIds.has(repo.id)) return "none";
    return principal.token.permissions.contents === "write" ? "write" : "read";
  }
  if (principal.token.kind === "personal") return "write";
  // A user token from the OAuth flow: public repositories, and the person's own.
  if (repo.owner.id === principal.user.id) return "write";
  return repo.private ? "none" : "read";
}

/** The account a principal acts as, for commit authorship and webhook senders. */
export function actingAccount(world: World, principal: Principal): Account {
  if (principal.kind === "user") return principal.user;
  return world.app.bot;
}
