import type { RateLimit } from "../config/writeback-options.js";

interface Bucket {
  capacity: number;
  /** Tokens regained per millisecond. */
  rate: number;
  tokens: number;
  at: number;
}

/**
 * Token buckets, one per limit, all of which a commit must pass. A bucket holds `burst` tokens and
 * refills at (count - burst) per window, so no window ever sees more than `count` commits (a full
 * bucket of `count` would let twice that through) and sustained load is paced evenly instead of
 * stalling once the hour's allowance is spent. The clock is injected, so tests are exact. The wait
 * it returns widens the flush window, and each commit then carries more writes.
 */
export class CommitRateLimiter {
  readonly #buckets: Bucket[];
  readonly #now: () => number;
  readonly #minGapMs: number;
  #lastTakeAt = -Infinity;

  /** `minGapMs`: GitHub asks for at least a second between content-creating requests, even within the limits. */
  constructor(limits: readonly RateLimit[], now: () => number, minGapMs = 0) {
    this.#now = now;
    this.#minGapMs = minGapMs;
    const at = now();
    this.#buckets = limits.map(({ count, perMs, burst }) => {
      const capacity = Math.max(1, Math.min(burst, count));
      return { capacity, rate: Math.max(0, count - capacity) / perMs, tokens: capacity, at };
    });
  }

  /** Milliseconds until a commit may be made; 0 when it may be made now. */
  waitMs(): number {
    const now = this.#now();
    let wait = Math.max(0, Math.ceil(this.#lastTakeAt + this.#minGapMs - now));
    for (const bucket of this.#buckets) {
      this.#refill(bucket, now);
      if (bucket.tokens < 1) wait = Math.max(wait, bucket.rate === 0 ? Infinity : Math.ceil((1 - bucket.tokens) / bucket.rate));
    }
    return wait;
  }

  /** Counts one commit (attempt) against every limit. */
  take(): void {
    const now = this.#now();
    this.#lastTakeAt = now;
    for (const bucket of this.#buckets) {
      this.#refill(bucket, now);
      bucket.tokens -= 1;
    }
  }

  #refill(bucket: Bucket, now: number): void {
    if (now <= bucket.at) return;
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (now - bucket.at) * bucket.rate);
    bucket.at = now;
  }
}
