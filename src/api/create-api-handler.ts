import { createApiApp } from "./api-app.js";
import type { ApiDeps } from "./api-types.js";
import type { HttpHandler } from "./http-handler.js";
import { createNodeHandler } from "./node-handler.js";

export type { HttpHandler } from "./http-handler.js";

/**
 * The data API as a Probot `addHandler` handler: true when it answered, false to let Probot's routes
 * (webhooks, …) try. Routes needing more than the store (e.g. the write queue) get it through ApiDeps.
 */
export function createApiHandler(deps: ApiDeps): HttpHandler {
  return createNodeHandler(createApiApp(deps), { maxBodyBytes: deps.config.maxBodyBytes, log: deps.log });
}
