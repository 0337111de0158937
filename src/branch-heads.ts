/** Pushes remembered per branch, to follow a chain whose links arrived out of order. */
const REMEMBERED_PUSHES = 32;
/** A head this recent has only just moved: the next push is as far away as it will ever be. */
const JUST_MOVED_MS = 25;

interface BranchState {
  head: string | null;
  /** before → after of recent pushes. */
  pushes: Map<string, string>;
  listeners: Set<() => void>;
  /** When the head last moved (the clock's time), or null while nothing is known. */
  movedAt: number | null;
}

/**
 * The newest head of each branch that gitdisk has heard of: from push webhooks as they arrive (before
 * the sync engine has mirrored them), from its own commits, and from reads of the branch. The
 * write-back commits on top of it, so after a refused commit it learns the new head from the push
 * that moved it instead of asking GitHub.
 *
 * A push counts only if it continues the head known here: a late delivery cannot move a branch back,
 * and after a missed delivery or a force push the head stays behind, which costs a refused commit
 * and a read, never a wrong commit (GitHub checks the expected head).
 */
export class BranchHeads {
  readonly #branches = new Map<string, BranchState>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  get(repoId: number, branch: string): string | null {
    return this.#branches.get(key(repoId, branch))?.head ?? null;
  }

  /** A push webhook: `branch` moved from `before` to `after` (null: the push deleted it). */
  pushed(repoId: number, branch: string, before: string, after: string | null): void {
    if (after === null) {
      this.#branches.delete(key(repoId, branch));
      return;
    }
    const state = this.#state(repoId, branch);
    state.pushes.set(before, after);
    if (state.pushes.size > REMEMBERED_PUSHES) state.pushes.delete(state.pushes.keys().next().value!);
    if (state.head === null || state.head === before) this.#advance(state, after);
  }

  /** A head learned first hand: a commit of ours, or a read of the branch. */
  set(repoId: number, branch: string, head: string): void {
    this.#advance(this.#state(repoId, branch), head);
  }

  /**
   * The head once it is known to be other than `sha`: at once, or when a push announces it within
   * `timeoutMs`; else null (also as soon as `signal` aborts: shutting down does not wait for pushes).
   */
  changedFrom(repoId: number, branch: string, sha: string, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
    const state = this.#state(repoId, branch);
    if (state.head !== null && state.head !== sha) return Promise.resolve(state.head);
    if (signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (head: string | null) => {
        clearTimeout(timer);
        state.listeners.delete(listener);
        signal?.removeEventListener("abort", aborted);
        resolve(head);
      };
      const listener = () => {
        if (state.head !== null && state.head !== sha) done(state.head);
      };
      const aborted = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      timer.unref?.();
      state.listeners.add(listener);
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  /**
   * When to retry a commit the branch's moving refused: at once if the head has only just moved or has
   * been still for `quietMs` (or nothing is known of it); else right after its next move, waiting at most
   * until it has been still for `quietMs`. On a branch someone pushes to every few hundred milliseconds,
   * a retry sent just after a push has the whole pause before the next one to land in; sent at a random
   * moment, it loses the race about as often as it takes longer than that pause.
   */
  retryMoment(repoId: number, branch: string, quietMs: number, signal?: AbortSignal): Promise<void> {
    const state = this.#state(repoId, branch);
    const age = state.movedAt === null ? Infinity : this.#now() - state.movedAt;
    if (age <= JUST_MOVED_MS || age >= quietMs || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        state.listeners.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, quietMs - age);
      timer.unref?.();
      state.listeners.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Moves to `head`, then along pushes already heard of that continue from it (they arrived before it did). */
  #advance(state: BranchState, head: string): void {
    let next = head;
    for (let steps = 0; steps < REMEMBERED_PUSHES && state.pushes.has(next) && state.pushes.get(next) !== next; steps++)
      next = state.pushes.get(next)!;
    if (next !== state.head) state.movedAt = this.#now();
    state.head = next;
    for (const listener of [...state.listeners]) listener();
  }

  #state(repoId: number, branch: string): BranchState {
    const k = key(repoId, branch);
    let state = this.#branches.get(k);
    if (!state) this.#branches.set(k, (state = { head: null, pushes: new Map(), listeners: new Set(), movedAt: null }));
    return state;
  }
}

const key = (repoId: number, branch: string) => `${repoId}:${branch}`;
