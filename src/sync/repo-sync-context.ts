import type { Logger } from "probot";
import type { MirrorStore } from "../store/store.js";
import type { GitHubReader } from "./github-reader.js";

/** What one sync of one repository works with. */
export interface RepoSyncContext {
  store: MirrorStore;
  reader: GitHubReader;
  log: Logger;
}

/** How a sync ended, when it did not fail. `branch-missing` has recorded its own `lastError`. */
export type SyncOutcome = "unchanged" | "applied" | "branch-missing";
