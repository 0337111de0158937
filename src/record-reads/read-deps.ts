import type { MirrorStore } from "../store/store.js";
import type { PendingWrites } from "./pending-writes.js";

/** Collection reads: the mirror with the pending writes on top. */
export interface ReadDeps {
  store: MirrorStore;
  pending: PendingWrites;
  /** Milliseconds since the epoch: a committed write stays overlaid for a short while after its commit. */
  now(): number;
}
