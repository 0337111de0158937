import { GitCommandError } from "../git/run-git.js";
import type { ControlHandler } from "../http/request-pipeline.js";
import { HttpError, jsonResponse, parseJsonBody, type SimRequest, type SimResponse } from "../http/sim-http.js";
import type { Simulator } from "../simulator.js";
import { WorldError } from "../state/world.js";
import { CONTROL_ROUTES } from "./control-routes.js";
import { routePattern } from "./route-path.js";

const COMPILED = CONTROL_ROUTES.map((route) => ({ ...route, pattern: routePattern(route.path) }));

/** Serves the control API under /_sim (see control-routes.ts): JSON in, JSON out, errors as `{error}`. */
export function createControlHandler(simulator: () => Simulator): ControlHandler {
  return async (request: SimRequest): Promise<SimResponse> => {
    const relative = request.url.pathname.slice("/_sim".length);
    for (const { method, pattern, action } of COMPILED) {
      const match = method === request.method ? pattern.exec(relative) : null;
      if (!match) continue;
      try {
        const parsed = parseJsonBody(request.body);
        const body = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
        const params = match.slice(1).map((part) => decodeURIComponent(part));
        const result = await action(simulator(), { params, body, query: request.url.searchParams });
        return jsonResponse(200, result ?? { ok: true });
      } catch (error) {
        if (error instanceof HttpError) return error.toResponse();
        if (error instanceof WorldError || error instanceof GitCommandError) return jsonResponse(400, { error: error.message });
        return jsonResponse(500, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return jsonResponse(404, { error: `no control route ${request.method} /_sim${relative} (GET /_sim lists them)` });
  };
}
