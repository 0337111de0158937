/**
 * A repository's share of the store (GITDISK_MAX_REPO_BYTES), counted in distinct blob bytes: a
 * content held under many paths is stored, and counted, once.
 */
export class ByteBudget {
  readonly maxBytes: number;
  readonly #held = new Map<string, number>();
  #bytes = 0;

  /** `held`: the blobs (sha, size) the mirror keeps from before. */
  constructor(maxBytes: number, held: Iterable<readonly [string, number]> = []) {
    this.maxBytes = maxBytes;
    for (const [sha, size] of held) this.#count(sha, size);
  }

  /** Whether the mirror may hold this blob (it does already, or it fits); if so it is counted. */
  admit(sha: string, size: number): boolean {
    if (this.#held.has(sha)) return true;
    if (this.#bytes + size > this.maxBytes) return false;
    this.#count(sha, size);
    return true;
  }

  /** Why a file the budget refused is not mirrored. */
  get refusal(): string {
    return `mirror limited to ${this.maxBytes} bytes (GITDISK_MAX_REPO_BYTES)`;
  }

  #count(sha: string, size: number): void {
    if (this.#held.has(sha)) return;
    this.#held.set(sha, size);
    this.#bytes += size;
  }
}
