import { NotFoundError } from "../errors.js";
import type { ApiDeps, ApiRequest, ApiResponse, Route } from "./api-types.js";
import { authenticateRequest } from "./auth.js";
import { preflightResponse, withCors } from "./cors.js";
import { errorResponse } from "./error-response.js";
import { MethodNotAllowedError, UriTooLongError } from "./http-errors.js";
import { compilePattern, matchPath, type PathPattern } from "./match-path.js";
import { parseQuery } from "./parse-query.js";
import { authRoutes } from "./routes/auth.js";
import { collectionRoutes } from "./routes/collections.js";
import { fileRoutes } from "./routes/files.js";
import { healthRoutes } from "./routes/health.js";
import { keyRoutes } from "./routes/keys.js";
import { statusRoutes } from "./routes/status.js";
import { treeRoutes } from "./routes/tree.js";
import { writeRoutes } from "./routes/writes.js";

/**
 * The data API's runtime-neutral router: ApiRequest in, ApiResponse out, never a throw.
 *
 * Adding routes: write `routes/<resource>.ts` exporting a `Route[]` (method, pattern, handler) and
 * append it to ROUTES. The router does the rest for every route: 414 for long URLs, 404 for unknown
 * paths, HEAD for GET, 405 with `Allow`, OPTIONS preflight, CORS headers, the API key check (a wrong
 * key is a 401 before any handler runs; `context.access.key` says whether the operator's key came,
 * `keyReaches(access, repoId)` in site-keys.ts whether a key for that repository did), and
 * the mapping of any thrown AppError to its JSON error. Pieces for handlers: `loadRepo` (load-repo.ts),
 * `actorOf` (actor-of.ts) / `keyNeeded` (auth.ts), `readPolicy` (read-policy.ts), `parseJsonBody`
 * (parse-json-body.ts), `writebackOf` (writeback-of.ts), records read through `deps.records`; more
 * `/status` fields: STATUS_FIELDS in routes/status.ts. A route never imports another route's file.
 */
export const ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...fileRoutes,
  ...treeRoutes,
  ...statusRoutes,
  ...collectionRoutes,
  ...writeRoutes,
  ...keyRoutes,
  ...authRoutes,
];

/** Longest URL (path and query) answered; a longer one is a 414. */
export const MAX_URL_LENGTH = 8 * 1024;

export interface Router {
  /** Whether a path belongs to the data API; others are left to the host (Probot's webhooks, …). */
  owns(path: string): boolean;
  route(request: ApiRequest): Promise<ApiResponse>;
  /** The response for a failure met outside `route`, e.g. by an adapter reading the body; logged the same way. */
  fail(request: ApiRequest, error: unknown): ApiResponse;
}

interface CompiledRoute {
  route: Route;
  pattern: PathPattern;
}

export function createRouter(deps: ApiDeps, routes: readonly Route[] = ROUTES): Router {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, pattern: compilePattern(route.pattern) }));
  const fail = (request: ApiRequest, error: unknown) => withCors(errorResponse(error, request, deps.log));

  async function dispatch(request: ApiRequest): Promise<ApiResponse> {
    const urlLength = request.path.length + (request.query === "" ? 0 : request.query.length + 1);
    if (urlLength > MAX_URL_LENGTH) throw new UriTooLongError(MAX_URL_LENGTH);
    const matches = compiled.flatMap(({ route, pattern }) => {
      const params = matchPath(pattern, request.path);
      return params ? [{ route, params }] : [];
    });
    if (matches.length === 0) throw new NotFoundError(`no data API route ${request.path.slice(0, 200)}`);

    const method = request.method.toUpperCase();
    const allowed = allowedMethods(matches.map(({ route }) => route.method));
    if (method === "OPTIONS") return preflightResponse(allowed);
    const match = matches.find(({ route }) => route.method === (method === "HEAD" ? "GET" : method));
    if (!match) throw new MethodNotAllowedError(method, allowed);

    const access = match.route.ignoresCredentials ? { key: false } : await authenticateRequest(request.headers, deps, Date.now());
    return match.route.handle({ request, params: match.params, query: parseQuery(request.query), access, deps });
  }

  return {
    owns: (path) => path === "/healthz" || path.startsWith("/v1/"),
    fail,
    async route(request) {
      try {
        return withCors(await dispatch(request));
      } catch (error) {
        return fail(request, error);
      }
    },
  };
}

function allowedMethods(methods: readonly string[]): string[] {
  const allowed = new Set(methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return [...allowed];
}
