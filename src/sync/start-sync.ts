// PLACEHOLDER — replaced by the sync engine work (issue 3).
import type { Probot } from "probot";
import type { GitdiskConfig } from "../config/env.js";
import type { MirrorStore } from "../store/store.js";

export interface SyncService {
  /** Compares every mirror with its branch head and catches up. */
  healAll(): Promise<void>;
  /** Stops the heal timer and waits for running syncs. */
  stop(): Promise<void>;
}

export function startSync(_app: Probot, _deps: { store: MirrorStore; config: GitdiskConfig }): SyncService {
  throw new Error("not implemented yet");
}
