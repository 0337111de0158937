import type { Logger } from "probot";
import type { MirrorStore } from "../store/store.js";

/**
 * Whether a mirror may be read without the key follows GitHub, asymmetrically: any sign that a
 * repository is private closes it at once, and only GitHub's own answer opens it again — never an
 * answer GitHub gave before a sign of privacy that arrived while that answer was on its way.
 */
export class RepoVisibility {
  readonly #store: MirrorStore;
  /** Per repository, how many times it was closed; an answer taken before a close must not open. */
  readonly #closes = new Map<number, number>();

  constructor(store: MirrorStore) {
    this.#store = store;
  }

  /** Marks the repository private now. */
  async close(repoId: number, log: Logger, reason: string): Promise<void> {
    this.#closes.set(repoId, (this.#closes.get(repoId) ?? 0) + 1);
    const repo = await this.#store.getRepo(repoId);
    if (!repo || repo.private) return;
    await this.#store.updateRepo(repoId, { private: true });
    log.info({ reason }, "repository marked private: reads need the key");
  }

  /** To take before asking GitHub, and hand to `settle` with its answer. */
  ticket(repoId: number): number {
    return this.#closes.get(repoId) ?? 0;
  }

  /** Applies GitHub's answer, unless it would open a repository closed since `ticket` was taken. */
  async settle(repoId: number, ticket: number, isPrivate: boolean, log: Logger): Promise<void> {
    const repo = await this.#store.getRepo(repoId);
    if (!repo || repo.private === isPrivate) return;
    if (!isPrivate && this.ticket(repoId) !== ticket) {
      log.info("GitHub answered public, but the repository was marked private meanwhile: it stays private until the next check");
      return;
    }
    await this.#store.updateRepo(repoId, { private: isPrivate });
    log.info(
      { private: isPrivate },
      isPrivate
        ? "GitHub says the repository is private: reads need the key"
        : "GitHub says the repository is public: readable without the key",
    );
  }
}
