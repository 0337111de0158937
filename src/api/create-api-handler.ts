import type { Logger } from "probot";
import type { GitdiskConfig } from "../config/env.js";
import type { MirrorStore } from "../store/store.js";
import type { HttpHandler } from "./http-handler.js";
import { createNodeHandler } from "./node-handler.js";
import { createRouter } from "./router.js";

export type { HttpHandler } from "./http-handler.js";

/** The data API as a Probot `addHandler` handler: true when it answered, false to let Probot's routes try. */
export function createApiHandler({ store, config, log }: { store: MirrorStore; config: GitdiskConfig; log: Logger }): HttpHandler {
  return createNodeHandler(createRouter({ store, config, log }), { maxBodyBytes: config.maxBodyBytes, log });
}
