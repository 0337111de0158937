import type { ApplicationFunctionOptions } from "probot";

/** The handler type Probot's server chains; Probot does not export it by name. */
export type HttpHandler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];
