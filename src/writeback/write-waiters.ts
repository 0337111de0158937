/**
 * Requests waiting (`?wait=1`) for their writes to be committed or to fail. In memory: a waiter
 * lives only as long as its HTTP request, and the durable state is in the write store.
 */
export class WriteWaiters {
  readonly #waiting = new Map<string, Set<() => void>>();

  /**
   * Resolves when `settle` names `writeId` or after `timeoutMs`, whichever comes first. Register before
   * reading the write's status, so a settlement in between is not missed.
   */
  wait(writeId: string, timeoutMs: number): { settled: Promise<void>; cancel: () => void } {
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    const waiters = this.#waiting.get(writeId) ?? new Set();
    this.#waiting.set(writeId, waiters);
    const finish = () => {
      clearTimeout(timer);
      waiters.delete(finish);
      if (waiters.size === 0 && this.#waiting.get(writeId) === waiters) this.#waiting.delete(writeId);
      done();
    };
    const timer = setTimeout(finish, timeoutMs);
    waiters.add(finish);
    return { settled, cancel: finish };
  }

  settle(writeIds: Iterable<string>): void {
    for (const id of writeIds) {
      for (const finish of [...(this.#waiting.get(id) ?? [])]) finish();
    }
  }
}
