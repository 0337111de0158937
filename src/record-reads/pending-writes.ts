import type { WriteStore } from "../store/write-store.js";

/**
 * The writes accepted but not yet in the mirror, which reads lay over it so a caller sees its own writes
 * at once. The write queue provides them; a server without writes has none.
 */
export type PendingWrites = Pick<WriteStore, "overlayAt" | "overlayUnder">;

export const NO_PENDING_WRITES: PendingWrites = {
  overlayAt: async () => null,
  overlayUnder: async () => [],
};
