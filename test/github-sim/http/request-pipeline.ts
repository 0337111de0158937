import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, requireCredential } from "../auth/authenticate.js";
import type { Principal } from "../core/principal.js";
import type { SimCore } from "../core/sim-core.js";
import { executeGraphql, type GraphqlRequest, parseGraphqlRequest } from "../graphql/graphql-endpoint.js";
import type { OAuthFlow } from "../oauth/oauth-flow.js";
import { GHES_VERSION } from "../openapi/openapi-catalog.js";
import type { Codeload } from "../rest/archive-handlers.js";
import type { RestRoute } from "../rest/rest-call.js";
import type { FaultDecision, FaultInjector } from "./fault-injector.js";
import type { RateResource } from "./rate-limits.js";
import type { RequestMetrics } from "./request-metrics.js";
import { HttpError, jsonResponse, parseJsonBody, readBody, type SimRequest, type SimResponse } from "./sim-http.js";

export type ViolationReason = "not-in-openapi" | "not-implemented" | "invalid-body" | "unknown-path" | "simulator-error";

/** A request GitHub would not have served as the client meant it, or a simulator failure. */
export interface Violation {
  reason: ViolationReason;
  method: string;
  path: string;
  endpoint?: string;
  detail?: string;
}

export type ControlHandler = (request: SimRequest) => Promise<SimResponse>;

interface Dispatch {
  endpoint: string;
  /** null for endpoints that take no credential (OAuth, codeload). */
  auth: "jwt" | "token" | null;
  rate: RateResource | null;
  run: (principal: Principal | null) => Promise<SimResponse>;
}

const API_PREFIX = "/api/v3";

/**
 * Every request's path through the simulator: classify (REST template from GitHub's OpenAPI,
 * GraphQL root fields, codeload, OAuth, control), count, authenticate, rate-limit, inject
 * faults, handle, and answer with GitHub's headers.
 */
export class RequestPipeline {
  private readonly violationLog: Violation[] = [];

  constructor(
    private readonly core: SimCore,
    private readonly routes: Map<string, RestRoute>,
    private readonly codeload: Codeload,
    private readonly oauth: OAuthFlow,
    private readonly faults: FaultInjector,
    private readonly metrics: RequestMetrics,
    private readonly control: ControlHandler,
    private readonly options: { validateBodies: boolean },
  ) {}

  violations(): Violation[] {
    return [...this.violationLog];
  }

  clearViolations(): void {
    this.violationLog.length = 0;
  }

  readonly listener = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    this.serve(incoming, outgoing).catch((error: unknown) => {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  };

  private async serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const request: SimRequest = {
      method: (incoming.method ?? "GET").toUpperCase(),
      url: new URL(incoming.url ?? "/", this.core.urls.web),
      headers: incoming.headers,
      body,
    };
    if (request.url.pathname === "/_sim" || request.url.pathname.startsWith("/_sim/")) {
      this.write(outgoing, request, await this.control(request));
      return;
    }
    const dispatch = this.classify(request);
    if (!dispatch) {
      this.violationLog.push({ reason: "unknown-path", method: request.method, path: request.url.pathname });
      const response = new HttpError(404, "Not Found").toResponse();
      this.metrics.record(`${request.method} (unknown)`, 404, response.body.length);
      this.write(outgoing, request, response);
      return;
    }
    const response = await this.run(request, dispatch);
    this.metrics.record(dispatch.endpoint, response.status, request.method === "HEAD" ? 0 : response.body.length);
    this.write(outgoing, request, response);
  }

  private classify(request: SimRequest): Dispatch | null {
    const { pathname } = request.url;
    if (pathname === "/api/graphql" && request.method === "POST") return this.graphqlDispatch(request);
    if (pathname.startsWith(`${API_PREFIX}/`) || pathname === API_PREFIX) return this.restDispatch(request);
    if (pathname.startsWith("/_codeload/") && request.method === "GET") {
      return {
        endpoint: "GET /_codeload/{owner}/{repo}/{archive_format}/{ref}",
        auth: null,
        rate: null,
        run: () => this.codeload.download(pathname, request.url.searchParams),
      };
    }
    if (pathname === "/login/oauth/authorize" && request.method === "GET") {
      return { endpoint: "GET /login/oauth/authorize", auth: null, rate: null, run: async () => this.oauth.authorize(request) };
    }
    if (pathname === "/login/oauth/access_token" && request.method === "POST") {
      return { endpoint: "POST /login/oauth/access_token", auth: null, rate: null, run: async () => this.oauth.accessToken(request) };
    }
    return null;
  }

  private restDispatch(request: SimRequest): Dispatch {
    const apiPath = request.url.pathname.slice(API_PREFIX.length) || "/";
    const match = this.core.catalog.match(request.method, apiPath);
    if (!match) {
      this.violationLog.push({ reason: "not-in-openapi", method: request.method, path: request.url.pathname });
      return {
        endpoint: `${request.method} (not in GitHub's API)`,
        auth: null,
        rate: null,
        run: async () => new HttpError(404, "Not Found").toResponse(),
      };
    }
    const route = this.routes.get(match.key);
    if (!route) {
      this.violationLog.push({ reason: "not-implemented", method: request.method, path: request.url.pathname, endpoint: match.key });
      return {
        endpoint: match.key,
        auth: null,
        rate: null,
        run: async () => new HttpError(404, `The GitHub simulator does not implement ${match.key}`).toResponse(),
      };
    }
    return {
      endpoint: match.key,
      auth: route.auth,
      rate: "core",
      run: async (principal) => {
        const body = this.jsonBody(request);
        if (body !== undefined && this.options.validateBodies) {
          const problems = this.core.catalog.validateBody(match, request.method, body);
          if (problems) {
            this.violationLog.push({
              reason: "invalid-body",
              method: request.method,
              path: request.url.pathname,
              endpoint: match.key,
              detail: problems.join("; "),
            });
            throw new HttpError(422, `Invalid request.\n\n${problems.join("\n")}`);
          }
        }
        return route.handler({ core: this.core, request, params: match.params, query: request.url.searchParams, body, principal });
      },
    };
  }

  private graphqlDispatch(request: SimRequest): Dispatch {
    let graphqlRequest: GraphqlRequest;
    try {
      graphqlRequest = (this.jsonBody(request) ?? {}) as GraphqlRequest;
    } catch (error) {
      return { endpoint: "graphql:(unparsable)", auth: null, rate: null, run: async () => (error as HttpError).toResponse() };
    }
    const parsed = parseGraphqlRequest(graphqlRequest);
    if ("errors" in parsed)
      return { endpoint: "graphql:(invalid)", auth: "token", rate: "graphql", run: async () => jsonResponse(200, parsed) };
    return {
      endpoint: parsed.endpointKey,
      auth: "token",
      rate: "graphql",
      run: async (principal) => jsonResponse(200, await executeGraphql(this.core, principal!, graphqlRequest, parsed)),
    };
  }

  private jsonBody(request: SimRequest): unknown {
    if (request.body.length === 0) return undefined;
    return parseJsonBody(request.body);
  }

  private async run(request: SimRequest, dispatch: Dispatch): Promise<SimResponse> {
    const headers: Record<string, string> = {};
    let bucket: string | undefined;
    try {
      let principal: Principal | null = null;
      if (dispatch.auth) {
        principal = requireCredential(authenticate(this.core, request.headers.authorization), dispatch.auth);
        if (dispatch.rate) {
          bucket = principal.kind === "app" ? "app" : principal.token.token;
          const state = this.core.rateLimits.consume(bucket, dispatch.rate, this.core.now());
          Object.assign(headers, this.core.rateLimits.headers(state));
          if (state.exceeded) throw primaryRateLimit(principal, state.reset);
        }
      }
      const decision = this.faults.take(dispatch.endpoint);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const immediate = faultResponse(decision, this.core.now());
      if (immediate) return withHeaders(immediate, headers);
      const response = await dispatch.run(principal);
      if (decision.fault?.kind === "lose-response") {
        return withHeaders(jsonResponse(decision.fault.status ?? 502, { message: "Server Error" }), headers);
      }
      return withHeaders(this.conditional(request, response, dispatch, bucket, headers), headers);
    } catch (error) {
      if (error instanceof HttpError) return withHeaders(error.toResponse(), { ...headers, ...error.headers });
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.violationLog.push({
        reason: "simulator-error",
        method: request.method,
        path: request.url.pathname,
        endpoint: dispatch.endpoint,
        detail,
      });
      return withHeaders(jsonResponse(500, { message: "Server Error", detail }), headers);
    }
  }

  /**
   * GitHub's conditional requests: every successful GET carries an ETag, and a request whose
   * If-None-Match names it gets an empty 304, which does not count against the rate limit.
   */
  private conditional(
    request: SimRequest,
    response: SimResponse,
    dispatch: Dispatch,
    bucket: string | undefined,
    headers: Record<string, string>,
  ): SimResponse {
    if (request.method !== "GET" || response.status !== 200 || response.headers.etag) return response;
    const etag = `W/"${createHash("sha256").update(response.body).digest("hex")}"`;
    const wanted = request.headers["if-none-match"];
    if (!wanted?.split(/\s*,\s*/).includes(etag)) return { ...response, headers: { ...response.headers, etag } };
    if (bucket && dispatch.rate)
      Object.assign(headers, this.core.rateLimits.headers(this.core.rateLimits.refund(bucket, dispatch.rate, this.core.now())));
    return { status: 304, headers: { etag }, body: Buffer.alloc(0) };
  }

  private write(outgoing: ServerResponse, request: SimRequest, response: SimResponse): void {
    outgoing.writeHead(response.status, {
      // The simulator's clock: Octokit's app auth reads it to correct JWT times for clock drift.
      date: this.core.now().toUTCString(),
      server: "GitHub.com",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-github-enterprise-version": `${GHES_VERSION}.0`,
      "content-length": String(request.method === "HEAD" ? 0 : response.body.length),
      ...response.headers,
    });
    outgoing.end(request.method === "HEAD" ? undefined : response.body);
  }
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

function primaryRateLimit(principal: Principal, reset: number): HttpError {
  const who =
    principal.kind === "installation"
      ? `installation ID ${principal.installation.id}`
      : principal.kind === "user"
        ? `user ID ${principal.user.id}`
        : "app";
  return new HttpError(
    403,
    `API rate limit exceeded for ${who}.`,
    {},
    { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
  );
}

function faultResponse(decision: FaultDecision, now: Date): SimResponse | null {
  const fault = decision.fault;
  if (!fault || fault.kind === "lose-response") return null;
  if (fault.kind === "error") return jsonResponse(fault.status ?? 500, { message: fault.message ?? "Server Error" });
  if (fault.kind === "primary-rate-limit") {
    const reset = Math.ceil(now.getTime() / 1000) + (fault.resetInSeconds ?? 60);
    return new HttpError(
      403,
      "API rate limit exceeded for installation. Check out the documentation for more details.",
      {},
      {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": String(reset),
      },
    ).toResponse();
  }
  return new HttpError(
    fault.status ?? 403,
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    {},
    { "retry-after": String(fault.retryAfterSeconds ?? 60) },
  ).toResponse();
}
