import { BadRequestError, ConflictError, NotFoundError } from "../../errors.js";
import { pathProblem } from "../../paths.js";
import type { ApiResponse, Route, RouteContext } from "../api-types.js";
import { loadRepo } from "../load-repo.js";
import { pageLimit } from "../page-limit.js";
import { readPolicy } from "../read-policy.js";
import { decodeTreeCursor, encodeTreeCursor } from "../tree-cursor.js";

// About 120 bytes a file: a default page is ~120 KB, the largest ~600 KB.
const DEFAULT_TREE_PAGE = 1000;
export const MAX_TREE_PAGE = 5000;

/** `prefix` is a path that may end with "/" (a folder), or absent for everything. */
export function treePrefix(raw: string | undefined): string {
  if (raw === undefined || raw === "") return "";
  const problem = pathProblem(raw.endsWith("/") ? raw.slice(0, -1) : raw);
  if (problem) throw new BadRequestError(`prefix: ${problem}`, { prefix: raw.slice(0, 200) });
  return raw;
}

async function listTree(context: RouteContext): Promise<ApiResponse> {
  const { store } = context.deps;
  const { query } = context;
  const prefix = treePrefix(query.get("prefix"));
  const limit = pageLimit(query.get("limit"), DEFAULT_TREE_PAGE, MAX_TREE_PAGE);
  const rawCursor = query.get("cursor");
  const cursor = rawCursor ? decodeTreeCursor(rawCursor) : undefined;
  const repo = await loadRepo(context);
  // The page and its commit in one snapshot: a sync landing meanwhile cannot pair them wrongly.
  const page = await store.snapshot(repo.id, { prefix, after: cursor?.after, limit, accepts: readPolicy(repo, context.access) });
  if (!page) throw new NotFoundError(`repository ${repo.owner}/${repo.name} is not mirrored here`);
  // The mirror keeps only its newest commit, so the rest of an older listing is gone.
  if (cursor && cursor.sha !== page.sha) {
    throw new ConflictError(`the mirror moved from ${cursor.sha} to ${page.sha} since this listing began: list again without a cursor`, {
      cursor: cursor.sha,
      sha: page.sha,
    });
  }
  const last = page.files.at(-1);
  return {
    status: 200,
    // What the listing holds depends on the key, so a cache must not hand one caller's listing to another.
    headers: { "cache-control": "no-cache", vary: "Authorization" },
    body: {
      sha: page.sha,
      files: page.files.map(({ path, sha, size }) => ({ path, sha, size })),
      cursor: page.more && last && page.sha ? encodeTreeCursor({ sha: page.sha, after: last.path }) : null,
    },
  };
}

export const treeRoutes: Route[] = [{ method: "GET", pattern: "/v1/repos/{owner}/{repo}/tree", handle: listTree }];
