import { BadRequestError, NotFoundError } from "../errors.js";
import type { RepoState } from "../store/store.js";
import type { RouteContext } from "./api-types.js";

// GitHub's owner and repository names: letters, digits, '-', '_' and '.', never "." or "..".
const GITHUB_NAME = /^[A-Za-z0-9._-]{1,100}$/;

function checkName(what: string, value: string): string {
  if (!GITHUB_NAME.test(value) || value === "." || value === "..") {
    throw new BadRequestError(`${JSON.stringify(value.slice(0, 100))} is not a valid repository ${what}`);
  }
  return value;
}

/** The repository named by the route's `{owner}` and `{repo}`, matched case-insensitively; 404 when not mirrored. */
export async function loadRepo({ params, deps }: Pick<RouteContext, "params" | "deps">): Promise<RepoState> {
  const owner = checkName("owner", params.owner ?? "");
  const name = checkName("name", params.repo ?? "");
  const repo = await deps.store.findRepo(owner, name);
  if (!repo) throw new NotFoundError(`repository ${owner}/${name} is not mirrored here`, { owner, repo: name });
  return repo;
}
