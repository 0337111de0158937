import { AppError, BadRequestError, ForbiddenError, NotFoundError } from "../errors.js";
import type { RepoState } from "../store/store.js";
import type { Access, RouteContext } from "./api-types.js";
import { isSafeMethod } from "./safe-method.js";
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
 * itself only to a key for it (the operator's, or its own site key) or a visitor signed in to it,
 * unless its config opens paths of it to everyone (`api.public`).
 */
function isVisible(repo: RepoState, access: Access): boolean {
  return keyReaches(access, repo.id) || access.session?.repoId === repo.id || !repo.private || repo.config.api.public.length > 0;
}

/**
 * Refuses a session on a repository it was not granted for (403; a cookie's on a read is let pass, as if
 * absent: routes judge a session by its `repoId`), and a cookie-borne session's
 * unsafe request from an origin the repository does not list in `api.origins` (403; a cross-site
 * request forgery would come so). A bearer needs no such check: another site's page cannot read it.
 */
function refuseForeignSession({ access, request }: Pick<RouteContext, "access" | "request">, repo: Pick<RepoState, "id" | "config">): void {
  const { session } = access;
  if (!session) return;
  const safe = isSafeMethod(request.method);
  if (session.repoId !== repo.id) {
    // The browser sends gitdisk's one session cookie to every site served here: on another site's reads it
    // counts for nothing (a session grants no reads), so that site still works for its signed-in-elsewhere visitors.
    if (session.via === "cookie" && safe) return;
    throw new ForbiddenError("this session is for another repository");
  }
  if (session.via === "cookie" && !safe) {
    const origin = request.headers.origin;
    if (origin === undefined || !repo.config.api.origins.includes(origin)) {
      throw new ForbiddenError(
        `a request signed in by cookie that changes data must come from an origin listed in api.origins; got ${origin === undefined ? "no Origin header" : JSON.stringify(origin.slice(0, 100))}`,
      );
    }
  }
}

/**
 * The repository named by the route's `{owner}` and `{repo}`, matched case-insensitively; 404 when not
 * mirrored, and the same 404 for a repository the caller may not see; 403 for a session it does not
 * serve (refuseForeignSession). One whose config file was never valid is not served: 503 with the
 * reason, to those who may see it.
 */
export async function loadRepo(context: Pick<RouteContext, "params" | "deps" | "access" | "request" | "served">): Promise<RepoState> {
  const { owner, name } = namesOf(context.params);
  const repo = await servedRepo(context.deps, owner, name, (found) => {
    if (!isVisible(found, context.access)) throw notMirrored(owner, name);
    refuseForeignSession(context, found);
  });
  context.served?.(repo);
  return repo;
}

/** A mirrored repository that `admit` lets the caller reach (it throws otherwise), if its config lets it be served. */
async function servedRepo(deps: RouteContext["deps"], owner: string, name: string, admit: (repo: RepoState) => void): Promise<RepoState> {
  const repo = await deps.store.findRepo(owner, name);
  if (!repo) throw notMirrored(owner, name);
  admit(repo);
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
 * The repository whose state (`/status`, its writes, its keys) the caller may see: a public one, or with the
 * key for it a private one (or with a session for it, where `sessionSeesPrivate`: not its `/status`, since
 * anyone may sign in to a site), or one whose mirror was purged, found by the writes it made. 404 otherwise, the same as
 * for a repository never seen: `api.public` opens paths to read, not the repository's state.
 */
export async function loadWritingRepo(
  context: Pick<RouteContext, "params" | "deps" | "access" | "request" | "served">,
  { sessionSeesPrivate }: { sessionSeesPrivate: boolean },
): Promise<WritingRepo> {
  const { params, deps, access } = context;
  const { owner, name } = namesOf(params);
  const mirror = await deps.store.findRepo(owner, name);
  if (mirror) {
    const seen = keyReaches(access, mirror.id) || (sessionSeesPrivate && access.session?.repoId === mirror.id);
    if (mirror.private && !seen) throw notMirrored(owner, name);
    refuseForeignSession(context, mirror);
    context.served?.(mirror);
    return { id: mirror.id, owner: mirror.owner, name: mirror.name, mirror };
  }
  const id = access.key || access.repoKey ? ((await deps.writeback?.repoIdByName(owner, name)) ?? null) : null;
  // Still mirrored under another name (renamed since its last write): not this name's any more.
  if (id === null || !keyReaches(access, id) || (await deps.store.getRepo(id))) throw notMirrored(owner, name);
  return { id, owner, name, mirror: null };
}

/**
 * The repository a sign-in is for, from `owner/name`: mirrored here and served (503 while withheld). A
 * private one only once its config lists the site's `api.origins`, which opts it in to visitors (and
 * makes its name known to them); before, it is the same 404 as a repository never mirrored.
 */
export async function loadSignInRepo(deps: RouteContext["deps"], fullName: string): Promise<RepoState> {
  const [owner = "", repo = "", ...rest] = fullName.split("/");
  if (rest.length > 0) throw new BadRequestError(`repo must be "owner/name", got ${JSON.stringify(fullName.slice(0, 200))}`);
  const names = namesOf({ owner, repo });
  return servedRepo(deps, names.owner, names.name, (repo) => {
    if (repo.private && (repo.config.withheld || repo.config.api.origins.length === 0)) throw notMirrored(names.owner, names.name);
  });
}
