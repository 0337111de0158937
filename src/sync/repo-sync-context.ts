import type { Logger } from "probot";
import type { MirrorStore } from "../store/store.js";
import type { GitHubReader } from "./github-reader.js";
import type { RepoVisibility } from "./repo-visibility.js";

/** What one sync of one repository works with. */
export interface RepoSyncContext {
  store: MirrorStore;
  reader: GitHubReader;
  log: Logger;
  /** Shared by every sync of the process: closes at once, opens only on GitHub's word. */
  visibility: RepoVisibility;
}

/** How a sync ended, when it did not fail. `branch-missing` has recorded its own `lastError`. */
export type SyncOutcome = "unchanged" | "applied" | "branch-missing";

/** What fetching and applying a change needs: no visibility decisions are made there. */
export type MirrorContext = Pick<RepoSyncContext, "store" | "reader" | "log">;
