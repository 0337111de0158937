import { type Context, Hono } from "hono";
import { NotFoundError } from "../errors.js";
import type { ApiDeps, Route } from "./api-types.js";
import { corsHeaders, joinVary, preflightHeaders } from "./cors.js";
import { decodePathComponent } from "./decode-path-component.js";
import { errorResponse } from "./error-response.js";
import { toFetchResponse } from "./fetch-response.js";
import { MethodNotAllowedError, UriTooLongError } from "./http-errors.js";
import { parseQuery } from "./parse-query.js";
import { bodyTooLarge } from "./read-node-body.js";
import { type Answer, type ApiEnv, apiRequestOf, pathOf, routeHandler } from "./route-handler.js";
import { authRoutes } from "./routes/auth.js";
import { collectionRoutes } from "./routes/collections.js";
import { fileRoutes } from "./routes/files.js";
import { healthRoutes } from "./routes/health.js";
import { keyRoutes } from "./routes/keys.js";
import { statusRoutes } from "./routes/status.js";
import { treeRoutes } from "./routes/tree.js";
import { writeRoutes } from "./routes/writes.js";

export type { ApiBindings } from "./route-handler.js";

/**
 * The data API's routes, served by a runtime-neutral Hono app (adapters: node-handler.ts for Probot's server).
 *
 * Adding routes: write `routes/<resource>.ts` exporting a `Route[]` (method, pattern, handler) and
 * append it to ROUTES. The app does the rest for every route: 414 for long URLs, 400 for invalid
 * percent-encoding, 404 for unknown paths, HEAD for GET, 405 with `Allow`, OPTIONS preflight, CORS headers
 * (cors.ts), the API key check (a wrong key is a 401 before any handler runs; `context.access.key` says
 * whether the operator's key came, `keyReaches(access, repoId)` in site-keys.ts whether a key for that
 * repository did), the body read only when the handler asks (`context.body()`, 413 past the limit), and the
 * mapping of any thrown AppError to its JSON error. Pieces for handlers: `loadRepo` (load-repo.ts),
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

export type ApiApp = Hono<ApiEnv>;

/** Whether a path belongs to the data API; an adapter leaves the others to its host (Probot's webhooks, …). */
export function ownsPath(path: string): boolean {
  return path === "/healthz" || path.startsWith("/v1/");
}

/** The app over `routes`. It never throws: every failure is answered by errorResponse, with CORS. */
export function createApiApp(deps: ApiDeps, routes: readonly Route[] = ROUTES): ApiApp {
  // Routing on the raw target: literal segments are compared before any decoding, so an encoded `/`
  // never stands in for a separator, and parameters are decoded exactly once.
  const app = new Hono<ApiEnv>({ getPath: (_request, options) => pathOf(options?.env?.target ?? "/") });
  const answer: Answer = async (c, response) => {
    const origin = c.req.header("origin");
    const listedOrigins = origin === undefined ? [] : (c.get("repo")?.config.api.origins ?? (await originsOfRequest(deps, c)));
    const cors = corsHeaders({ origin, listedOrigins });
    const vary = joinVary(cors.vary, response.headers?.vary);
    return toFetchResponse({ ...response, headers: { ...cors, ...response.headers, ...(vary ? { vary } : {}) } });
  };

  app.use(async (c, next) => {
    const { target } = c.env;
    if (target.length - (target.endsWith("?") ? 1 : 0) > MAX_URL_LENGTH) throw new UriTooLongError(MAX_URL_LENGTH);
    // Hono decodes parameters leniently (invalid escapes stay raw text): refuse them here, once for the path.
    const path = pathOf(target);
    if (path.includes("%")) decodePathComponent(path);
    // A body declared too large is refused at once (server-limits.ts did not even ask for it); one sent
    // without its length is counted when a route reads it.
    if (Number(c.req.header("content-length")) > deps.config.maxBodyBytes) throw bodyTooLarge(deps.config.maxBodyBytes);
    await next();
  });
  for (const route of routes) app.on(route.method, honoPattern(route.pattern), routeHandler(route, deps, answer));
  // After every route, so that they run only when no route of any pattern took the method.
  for (const [pattern, methods] of methodsByPattern(routes)) {
    app.all(honoPattern(pattern), async (c, next) => {
      c.set("allowed", [...(c.get("allowed") ?? []), ...methods]);
      c.set("params", c.req.param());
      await next();
    });
  }
  app.notFound((c) => {
    const allowed = c.get("allowed");
    if (!allowed) throw new NotFoundError(`no data API route ${pathOf(c.env.target).slice(0, 200)}`);
    const methods = allowedMethods(allowed);
    if (c.req.method === "OPTIONS") return answer(c, { status: 204, headers: preflightHeaders(methods) });
    throw new MethodNotAllowedError(c.req.method, methods);
  });
  app.onError((error, c) => answer(c, errorResponse(error, apiRequestOf(c), deps.log)));
  return app;
}

/**
 * The origins listed by the repository a request concerns, when no route served one (an error before it
 * did, a preflight, `/v1/auth/*`): the one its path names, else the one its `repo` query names
 * (`/v1/auth/me?repo=…`, so that a page not signed in still reads the answer), else its session's. Read
 * only for requests that carry an Origin; a store that cannot say lists none (the answer is `*`).
 */
async function originsOfRequest(deps: ApiDeps, c: Context<ApiEnv>): Promise<readonly string[]> {
  const params = c.get("params") ?? {};
  const sessionRepoId = c.get("sessionRepoId");
  const [owner, name] =
    params.owner !== undefined && params.repo !== undefined ? [params.owner, params.repo] : (namedRepo(c)?.split("/") ?? []);
  try {
    const repo =
      owner !== undefined && name !== undefined
        ? await deps.store.findRepo(owner, name)
        : sessionRepoId === undefined
          ? null
          : await deps.store.getRepo(sessionRepoId);
    return repo?.config.api.origins ?? [];
  } catch (error) {
    deps.log.debug({ err: error }, "repository origins unreadable: CORS answers any origin without credentials");
    return [];
  }
}

/** The `repo` query parameter (`owner/name`); none when the query cannot be read (its own 400 says why). */
function namedRepo(c: Context<ApiEnv>): string | undefined {
  try {
    return parseQuery(apiRequestOf(c).query).get("repo");
  } catch {
    return undefined;
  }
}

const PARAM = /\{([a-zA-Z][a-zA-Z0-9]*)(\.\.\.)?\}/g;

/** `{name}` → `:name` (one non-empty segment); `{name...}` → `:name{.+}` (the rest of the path, slashes included). */
export function honoPattern(pattern: string): string {
  if (!pattern.startsWith("/")) throw new Error(`route pattern must start with "/": ${pattern}`);
  const translated = pattern.replace(PARAM, (_match, name: string, rest?: string) => (rest ? `:${name}{.+}` : `:${name}`));
  if (/[{}]/.test(translated.replace(/\{\.\+\}$/, ""))) {
    throw new Error(`malformed parameter in route pattern ${pattern}, or {name...} not last`);
  }
  return translated;
}

function methodsByPattern(routes: readonly Route[]): Map<string, string[]> {
  const byPattern = new Map<string, string[]>();
  for (const { pattern, method } of routes) byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), method]);
  return byPattern;
}

function allowedMethods(methods: readonly string[]): string[] {
  const allowed = new Set(methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return [...allowed];
}
