import type { ApplicationFunction } from "probot";
import { createGitdisk } from "./app.js";
import { readProcessConfig } from "./config/read-process-config.js";

/** The Probot app, configured from the environment when Probot loads it: `probot run ./lib/index.js` works too. */
const app: ApplicationFunction = (probot, options) => createGitdisk({ config: readProcessConfig() })(probot, options);

export default app;
export type { GitdiskOptions, GitdiskRuntime } from "./app.js";
export { createGitdisk } from "./app.js";
