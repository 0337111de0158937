import { BadRequestError, NotFoundError } from "../../errors.js";
import { pathProblem } from "../../paths.js";
import type { FileEntry } from "../../store/store.js";
import type { ApiResponse, Route, RouteContext } from "../api-types.js";
import { loadRepo } from "../load-repo.js";
import { readPolicy } from "../read-policy.js";

// A sync landing between reading the commit and listing the files would pair a listing with the wrong commit.
const CONSISTENT_READ_ATTEMPTS = 3;

/** `prefix` is a path that may end with "/" (a folder), or absent for everything. */
export function treePrefix(raw: string | undefined): string {
  if (raw === undefined || raw === "") return "";
  const problem = pathProblem(raw.endsWith("/") ? raw.slice(0, -1) : raw);
  if (problem) throw new BadRequestError(`prefix: ${problem}`, { prefix: raw.slice(0, 200) });
  return raw;
}

async function listTree(context: RouteContext): Promise<ApiResponse> {
  const { store } = context.deps;
  const prefix = treePrefix(context.query.get("prefix"));
  let repo = await loadRepo(context);
  const canRead = readPolicy(repo, context.access);
  let files: FileEntry[] = [];
  for (let attempt = 1; attempt <= CONSISTENT_READ_ATTEMPTS; attempt++) {
    const sha = repo.sha;
    files = await store.listFiles(repo.id, prefix);
    const after = await store.getRepo(repo.id);
    if (!after) throw new NotFoundError(`repository ${repo.owner}/${repo.name} is not mirrored here`);
    repo = after;
    if (after.sha === sha) break;
  }
  return {
    status: 200,
    // What the listing holds depends on the key, so a cache must not hand one caller's listing to another.
    headers: { "cache-control": "no-cache", vary: "Authorization" },
    body: {
      sha: repo.sha,
      files: files.filter((file) => canRead(file.path)).map(({ path, sha, size }) => ({ path, sha, size })),
    },
  };
}

export const treeRoutes: Route[] = [{ method: "GET", pattern: "/v1/repos/{owner}/{repo}/tree", handle: listTree }];
