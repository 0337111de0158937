import { nextTurn } from "../next-turn.js";
import type { BlobContent, MirrorStore } from "../store/store.js";

/** Contents gathered before one write to the store: a few files, or one large one. */
const STAGE_BYTES = 8 * 1024 * 1024;
const STAGE_FILES = 64;

/**
 * Stores the contents of a large change ahead of the change itself, a few files per turn of the
 * event loop, so neither memory nor a request waits on the whole change. Each content is stored
 * once, however many paths hold it.
 */
export class BlobStager {
  readonly #store: MirrorStore;
  readonly #staged = new Set<string>();
  #batch: BlobContent[] = [];
  #batchBytes = 0;

  constructor(store: MirrorStore) {
    this.#store = store;
  }

  /** Every sha given, for the sweep once the change is applied or abandoned. */
  get staged(): ReadonlySet<string> {
    return this.#staged;
  }

  async add(blob: BlobContent): Promise<void> {
    if (this.#staged.has(blob.sha)) return;
    this.#staged.add(blob.sha);
    this.#batch.push(blob);
    this.#batchBytes += blob.content.length;
    if (this.#batchBytes >= STAGE_BYTES || this.#batch.length >= STAGE_FILES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchBytes = 0;
    await this.#store.storeBlobs(batch);
    await nextTurn();
  }
}
