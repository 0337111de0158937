/** At most `count` commits in any `perMs` window, on average, with bursts of up to `count`. */
export interface RateLimit {
  count: number;
  perMs: number;
}

/**
 * GitHub's secondary limits on content creation: about 80 requests a minute and 500 an hour.
 * Staying under them matters more than speed, since crossing them blocks the app for minutes.
 */
export const GITHUB_CONTENT_LIMITS: readonly RateLimit[] = [
  { count: 80, perMs: 60_000 },
  { count: 500, perMs: 3_600_000 },
];

interface Bucket {
  limit: RateLimit;
  tokens: number;
  at: number;
}

/**
 * Token buckets, one per limit, all of which a commit must pass. The clock is injected, so the
 * behaviour is exact in tests. Under sustained load the wait this returns widens the flush window,
 * and each commit carries more writes.
 */
export class CommitRateLimiter {
  readonly #buckets: Bucket[];
  readonly #now: () => number;

  constructor(limits: readonly RateLimit[], now: () => number) {
    this.#now = now;
    const at = now();
    this.#buckets = limits.map((limit) => ({ limit, tokens: limit.count, at }));
  }

  /** Milliseconds until a commit may be made; 0 when it may be made now. */
  waitMs(): number {
    const now = this.#now();
    let wait = 0;
    for (const bucket of this.#buckets) {
      this.#refill(bucket, now);
      if (bucket.tokens < 1) wait = Math.max(wait, Math.ceil((1 - bucket.tokens) / rate(bucket.limit)));
    }
    return wait;
  }

  /** Counts one commit (attempt) against every limit. */
  take(): void {
    const now = this.#now();
    for (const bucket of this.#buckets) {
      this.#refill(bucket, now);
      bucket.tokens -= 1;
    }
  }

  #refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(bucket.limit.count, bucket.tokens + elapsed * rate(bucket.limit));
    bucket.at = Math.max(bucket.at, now);
  }
}

function rate(limit: RateLimit): number {
  return limit.count / limit.perMs;
}
