/** Serialises async work per key (one repository's writes), leaving other keys free to run. */
export class KeyedMutex {
  private readonly tails = new Map<string | number, Promise<unknown>>();

  run<T>(key: string | number, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
