import type { TokenRecord } from "../auth/token-registry.js";
import type { Account, Installation, RepoRecord, RepoRole, World } from "../state/world.js";
import { roleAtLeast } from "../state/world.js";

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
  // A GitHub App's user token (ghu_) reaches only what both the person and the app reach: a repository
  // the app is installed on and the person may use. Public repositories are readable by anyone.
  const role = world.roleOf(repo, principal.user);
  const installed = world.installationOfRepo(repo) !== undefined;
  if (installed && roleAtLeast(role, "push") && world.app.permissions.contents === "write") return "write";
  if ((installed && role !== null) || !repo.private) return "read";
  return "none";
}

/**
 * The caller's role on a repository, which `permissions` in GET /repos/{owner}/{repo} spells out:
 * a person's own role (owner → admin, a collaborator's role; a user token shows the person's role,
 * not the app's), the personal access token's admin, an installation's push or pull.
 */
export function repoRole(world: World, principal: Principal | null, repo: RepoRecord): RepoRole | null {
  if (!principal || principal.kind === "app") return null;
  if (principal.kind === "installation") {
    const access = repoAccess(world, principal, repo);
    return access === "write" ? "push" : access === "read" ? "pull" : null;
  }
  if (principal.token.kind === "personal") return "admin";
  return world.roleOf(repo, principal.user);
}

/** The account a principal acts as, for commit authorship and webhook senders. */
export function actingAccount(world: World, principal: Principal): Account {
  if (principal.kind === "user") return principal.user;
  return world.app.bot;
}
