import { AppError, BadRequestError, NotFoundError } from "../errors.js";
import type { RepoState } from "../store/store.js";
import type { Access, RouteContext } from "./api-types.js";
import { keyReaches } from "./site-keys.js";

// GitHub's owner and repository names: letters, digits, '-', '_' and '.', never "." or "..".
const GITHUB_NAME = /^[A-Za-z0-9._-]{1,100}$/;

function checkName(what: string, value: string): string {
  if (!GITHUB_NAME.test(value) || value === "." || value === "..") {
    throw new BadRequestError(`${JSON.stringify(value.slice(0, 100))} is not a valid repository ${what}`);
  }
  return value;
}

function namesOf(params: RouteContext["params"]): { owner: string; name: string } {
  return { owner: checkName("owner", params.owner ?? ""), name: checkName("name", params.repo ?? "") };
}

export function notMirrored(owner: string, name: string): NotFoundError {
  return new NotFoundError(`repository ${owner}/${name} is not mirrored here`, { owner, repo: name });
}

/**
 * Whether the caller may learn that the repository is mirrored here. As on GitHub, a private one shows
 * itself only to a key for it (the operator's, or its own site key), unless its config opens paths of it to everyone (`api.public`).
 */
function isVisible(repo: RepoState, access: Access): boolean {
  return keyReaches(access, repo.id) || !repo.private || repo.config.api.public.length > 0;
}

/**
 * The repository named by the route's `{owner}` and `{repo}`, matched case-insensitively; 404 when not
 * mirrored, and the same 404 for a repository the caller may not see. One whose config file was never
 * valid is not served: 503 with the reason, to those who may see it.
 */
export async function loadRepo({ params, deps, access }: Pick<RouteContext, "params" | "deps" | "access">): Promise<RepoState> {
  const { owner, name } = namesOf(params);
  const repo = await deps.store.findRepo(owner, name);
  if (!repo || !isVisible(repo, access)) throw notMirrored(owner, name);
  if (repo.config.withheld) {
    throw new AppError(
      "withheld",
      `${repo.owner}/${repo.name} is not served until its .github/gitdisk.yml is valid: ${repo.configError ?? "it is invalid"}`,
    );
  }
  return repo;
}

/** A repository as the write routes know it: mirrored, or gone from the mirror (uninstalled) with its writes kept. */
export interface WritingRepo {
  id: number;
  owner: string;
  name: string;
  mirror: RepoState | null;
}

/**
 * The repository whose state (`/status`, its writes) the caller may see: a public one, or with the key a
 * private one, or one whose mirror was purged, found by the writes it made. 404 otherwise, the same as
 * for a repository never seen: `api.public` opens paths to read, not the repository's state.
 */
export async function loadWritingRepo({ params, deps, access }: Pick<RouteContext, "params" | "deps" | "access">): Promise<WritingRepo> {
  const { owner, name } = namesOf(params);
  const mirror = await deps.store.findRepo(owner, name);
  if (mirror) {
    if (mirror.private && !keyReaches(access, mirror.id)) throw notMirrored(owner, name);
    return { id: mirror.id, owner: mirror.owner, name: mirror.name, mirror };
  }
  const id = access.key || access.repoKey ? ((await deps.writeback?.repoIdByName(owner, name)) ?? null) : null;
  // Still mirrored under another name (renamed since its last write): not this name's any more.
  if (id === null || !keyReaches(access, id) || (await deps.store.getRepo(id))) throw notMirrored(owner, name);
  return { id, owner, name, mirror: null };
}
