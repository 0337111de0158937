import type { Logger } from "probot";
import type { MirrorStore } from "../store/store.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { SyncOutcome } from "./repo-sync-context.js";
import { describeSyncFailure } from "./sync-error.js";

/** A unit of work on one repository; returns how a sync ended, or null when it was not a sync. */
export type RepoTask = () => Promise<SyncOutcome | null>;

/**
 * Runs work on repositories one task at a time per repository, and records the result where
 * /status shows it: `lastSyncAt` after a sync, `lastError` cleared on success or set on failure.
 * A failure is logged and kept, never thrown: what is mirrored stays, and healing retries later.
 */
export class RepoTasks {
  readonly #queue = new KeyedQueue<number>();
  readonly #store: MirrorStore;
  readonly #now: () => Date;
  #stopped = false;

  constructor(store: MirrorStore, now: () => Date) {
    this.#store = store;
    this.#now = now;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  async run(repoId: number, log: Logger, task: RepoTask): Promise<void> {
    if (this.#stopped) {
      log.warn("the sync engine is stopping: work dropped (healing catches up after restart)");
      return;
    }
    await this.#queue.run(repoId, async () => {
      try {
        const outcome = await task();
        if (outcome === null) return;
        await this.#store.updateRepo(repoId, {
          lastSyncAt: this.#now().toISOString(),
          // A missing branch has recorded why; anything else that ended is a success.
          ...(outcome === "branch-missing" ? {} : { lastError: null }),
        });
      } catch (error) {
        log.error({ err: error }, "sync failed; the mirror keeps what it had until the next delivery or heal");
        await this.#store.updateRepo(repoId, { lastError: describeSyncFailure(error) }).catch((recordError: unknown) => {
          log.error({ err: recordError }, "could not record the sync failure");
        });
      }
    });
  }

  /** Refuses new work and waits for what is queued or running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue.idle();
  }
}
