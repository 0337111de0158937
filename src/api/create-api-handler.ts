// PLACEHOLDER — replaced by the read API work (issue 3).
import type { ApplicationFunctionOptions, Logger } from "probot";
import type { GitdiskConfig } from "../config/env.js";
import type { MirrorStore } from "../store/store.js";

/** The handler type Probot's server chains; Probot does not export it by name. */
export type HttpHandler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

export function createApiHandler(_deps: { store: MirrorStore; config: GitdiskConfig; log: Logger }): HttpHandler {
  throw new Error("not implemented yet");
}
