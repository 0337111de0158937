import type { Context, Handler } from "hono";
import type { RepoState } from "../store/store.js";
import type { ApiDeps, ApiRequest, ApiResponse, Route } from "./api-types.js";
import { authenticateRequest } from "./auth.js";
import { parseQuery } from "./parse-query.js";

/** What an adapter hands the data API beside the Fetch Request: what a Request cannot carry as received. */
export interface ApiBindings {
  /**
   * The request target (path and query) exactly as received, still percent-encoded. A Request's URL is
   * normalized (`..`, `%2e%2e` and `\` resolved), which would hide a traversal from the routes that refuse it.
   */
  target: string;
  /** Reads the body, refusing (413) as soon as it is known to pass `limit` bytes. */
  readBody(limit: number): Promise<Buffer>;
}

export interface ApiEnv {
  Bindings: ApiBindings;
  Variables: {
    /** The methods the matched patterns answer, gathered for a 405 or a preflight when no route took the method. */
    allowed?: string[];
    /** The matched pattern's parameters, decoded: which repository the answer's CORS is decided by. */
    params?: Record<string, string>;
    /** The repository the route served (loadRepo), whose `api.origins` decide the answer's CORS. */
    repo?: RepoState;
    /** The repository of the request's session, for the CORS of routes whose path names none (`/v1/auth/me`). */
    sessionRepoId?: number;
  };
}

/** Sends an ApiResponse with the CORS headers for the request's repository (api-app.ts). */
export type Answer = (c: Context<ApiEnv>, response: ApiResponse) => Promise<Response>;

export function pathOf(target: string): string {
  const queryStart = target.indexOf("?");
  return queryStart === -1 ? target : target.slice(0, queryStart);
}

/** The request as routes and error logs see it, from the raw target rather than the normalized URL. */
export function apiRequestOf(c: Context<ApiEnv>): ApiRequest {
  const { target } = c.env;
  const path = pathOf(target);
  return {
    method: c.req.method,
    path,
    query: target.slice(path.length + 1),
    headers: c.req.header(),
  };
}

/**
 * A Route as a Hono handler: the credentials (key or session) are checked, once, before the route runs; the body is read only if
 * the route asks for it.
 */
export function routeHandler(route: Route, deps: ApiDeps, answer: Answer): Handler<ApiEnv> {
  const { maxBodyBytes } = deps.config;
  return async (c) => {
    const request = apiRequestOf(c);
    const params: Record<string, string> = c.req.param();
    c.set("params", params);
    const query = parseQuery(request.query);
    const access = route.ignoresCredentials ? { key: false } : await authenticateRequest(request, deps, Date.now());
    if (access.session) c.set("sessionRepoId", access.session.repoId);
    let body: Promise<Buffer> | undefined;
    const response = await route.handle({
      request,
      params,
      query,
      access,
      deps,
      body: () => (body ??= c.env.readBody(maxBodyBytes)),
      served: (repo) => c.set("repo", repo),
    });
    return answer(c, response);
  };
}
