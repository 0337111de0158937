import { NotFoundError } from "../../errors.js";
import { assertSafePath } from "../../paths.js";
import type { ApiResponse, Route, RouteContext } from "../api-types.js";
import { keyNeeded } from "../auth.js";
import { contentTypeFor } from "../content-type.js";
import { etagOf, ifNoneMatchMatches } from "../etag.js";
import { loadRepo } from "../load-repo.js";
import { readPolicy } from "../read-policy.js";
import { userContentHeaders } from "../user-content-headers.js";

async function readFile(context: RouteContext): Promise<ApiResponse> {
  const { store, config } = context.deps;
  const repo = await loadRepo(context);
  const path = assertSafePath(context.params.path ?? "");
  if (!readPolicy(repo, context.access)(path)) throw keyNeeded(config.apiKey, `reading ${path} of ${repo.owner}/${repo.name}`);

  // no-cache: browsers keep the bytes but revalidate each time, which costs a 304 and no body.
  const validators = (sha: string) => ({ etag: etagOf(sha), "cache-control": "no-cache" });
  const ifNoneMatch = context.request.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // Only the sha is needed to decide on a 304, so a revalidation never loads the content.
    const entry = await store.getFileEntry(repo.id, path);
    if (entry && ifNoneMatchMatches(ifNoneMatch, etagOf(entry.sha))) return { status: 304, headers: validators(entry.sha) };
  }
  const file = await store.getFile(repo.id, path);
  if (!file) throw new NotFoundError(`${path} is not in the mirror of ${repo.owner}/${repo.name}`, { path });
  return {
    status: 200,
    headers: { ...validators(file.sha), ...userContentHeaders(contentTypeFor(path)) },
    body: file.content,
  };
}

export const fileRoutes: Route[] = [{ method: "GET", pattern: "/v1/repos/{owner}/{repo}/files/{path...}", handle: readFile }];
