import { createGitdisk } from "./app.js";

/** The Probot app, configured from the environment: `probot run ./lib/index.js` works too. */
export default createGitdisk();
export type { GitdiskOptions, GitdiskRuntime } from "./app.js";
export { createGitdisk } from "./app.js";
