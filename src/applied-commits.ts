/** Commits remembered per repository after their announcement: a few flush windows' worth. */
const REMEMBERED_PER_REPO = 16;

/**
 * The write-back's announcements that it has applied a commit of its own to the mirror, heard by the
 * push handler, which waits for one before syncing that commit's push (see awaitOwnCommit). In memory:
 * both sides run in this process. The last commits of each repository are remembered, so a handler
 * that starts waiting just after the announcement still hears it.
 */
export class AppliedCommits {
  readonly #recent = new Map<number, string[]>();
  readonly #waiting = new Map<string, Set<() => void>>();

  /** The mirror of `repoId` now holds `sha`, applied by the write-back. */
  announce(repoId: number, sha: string): void {
    const recent = this.#recent.get(repoId) ?? [];
    recent.push(sha);
    if (recent.length > REMEMBERED_PER_REPO) recent.shift();
    this.#recent.set(repoId, recent);
    for (const wake of [...(this.#waiting.get(key(repoId, sha)) ?? [])]) wake();
  }

  /** True once `sha` is announced for the repository (at once if it was lately), false after `timeoutMs`. */
  waitFor(repoId: number, sha: string, timeoutMs: number): Promise<boolean> {
    if (this.#recent.get(repoId)?.includes(sha)) return Promise.resolve(true);
    const waitKey = key(repoId, sha);
    const waiters = this.#waiting.get(waitKey) ?? new Set<() => void>();
    this.#waiting.set(waitKey, waiters);
    return new Promise((resolve) => {
      const finish = (applied: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiting.get(waitKey) === waiters) this.#waiting.delete(waitKey);
        resolve(applied);
      };
      const wake = () => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      waiters.add(wake);
    });
  }
}

function key(repoId: number, sha: string): string {
  return `${repoId} ${sha}`;
}
