export type RateResource = "core" | "graphql";

export interface RateState {
  resource: RateResource;
  limit: number;
  used: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}

const WINDOW_MS = 60 * 60 * 1000;

/**
 * GitHub's primary rate limit: a budget per credential per hour, reported on every response in
 * x-ratelimit-* headers. Counting always happens; refusing (403 with remaining 0) only when
 * `enforce` is on, so benchmarks of chatty baselines are not cut short unless asked.
 */
export class RateLimits {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly limit: number,
    private readonly enforce: boolean,
  ) {}

  /** Counts one request; `exceeded` tells the caller to refuse it. */
  consume(bucket: string, resource: RateResource, now: Date): RateState & { exceeded: boolean } {
    const window = this.window(bucket, resource, now);
    const exceeded = this.enforce && window.used >= this.limit;
    if (!exceeded) window.used += 1;
    return { ...this.describe(window, resource), exceeded };
  }

  /** Gives back a request that GitHub does not charge for (a 304 Not Modified). */
  refund(bucket: string, resource: RateResource, now: Date): RateState {
    const window = this.window(bucket, resource, now);
    window.used = Math.max(window.used - 1, 0);
    return this.describe(window, resource);
  }

  peek(bucket: string, resource: RateResource, now: Date): RateState {
    return this.describe(this.window(bucket, resource, now), resource);
  }

  headers(state: RateState): Record<string, string> {
    return {
      "x-ratelimit-limit": String(state.limit),
      "x-ratelimit-remaining": String(state.remaining),
      "x-ratelimit-reset": String(state.reset),
      "x-ratelimit-used": String(state.used),
      "x-ratelimit-resource": state.resource,
    };
  }

  private window(bucket: string, resource: RateResource, now: Date) {
    const key = `${resource}:${bucket}`;
    let window = this.windows.get(key);
    if (!window || now.getTime() - window.start >= WINDOW_MS) {
      window = { start: now.getTime(), used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private describe(window: { start: number; used: number }, resource: RateResource): RateState {
    return {
      resource,
      limit: this.limit,
      used: window.used,
      remaining: Math.max(this.limit - window.used, 0),
      reset: Math.ceil((window.start + WINDOW_MS) / 1000),
    };
  }
}
