import { GITHUB_CONTENT_LIMITS } from "../../../src/config/writeback-options.js";
import { CommitRateLimiter } from "../../../src/writeback/commit-rate-limiter.js";

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("CommitRateLimiter", () => {
  it("allows a burst, then paces the rest of the allowance evenly", () => {
    const time = clock();
    // 5 a second, 2 of them at once: the other 3 come back one every 333 ms.
    const limiter = new CommitRateLimiter([{ count: 5, perMs: 1000, burst: 2 }], time.now);
    for (let i = 0; i < 2; i++) {
      expect(limiter.waitMs()).toBe(0);
      limiter.take();
    }
    expect(limiter.waitMs()).toBe(334);
    time.advance(200);
    expect(limiter.waitMs()).toBe(134);
    time.advance(134);
    expect(limiter.waitMs()).toBe(0);
    limiter.take();
    expect(limiter.waitMs()).toBe(333);
  });

  it("keeps commits a minimum gap apart even with tokens to spare", () => {
    const time = clock();
    const limiter = new CommitRateLimiter([{ count: 80, perMs: 60_000, burst: 40 }], time.now, 1_000);
    expect(limiter.waitMs()).toBe(0);
    limiter.take();
    expect(limiter.waitMs()).toBe(1_000);
    time.advance(400);
    expect(limiter.waitMs()).toBe(600);
    time.advance(600);
    expect(limiter.waitMs()).toBe(0);
  });

  it("never stores more than the burst, however long it was idle", () => {
    const time = clock();
    const limiter = new CommitRateLimiter([{ count: 5, perMs: 1000, burst: 2 }], time.now);
    time.advance(3_600_000);
    limiter.take();
    limiter.take();
    expect(limiter.waitMs()).toBeGreaterThan(0);
  });

  it("waits for the strictest of several limits", () => {
    const time = clock();
    const limiter = new CommitRateLimiter(
      [
        { count: 4, perMs: 1000, burst: 2 },
        { count: 3, perMs: 10_000, burst: 1 },
      ],
      time.now,
    );
    limiter.take();
    expect(limiter.waitMs()).toBe(5000);
  });

  it("keeps GitHub's limits in every minute and hour, pacing sustained load without long stalls", () => {
    const start = 1_000_000;
    const time = clock(start);
    const limiter = new CommitRateLimiter(GITHUB_CONTENT_LIMITS, time.now);
    const commits: number[] = [];
    // A flusher that always has work: commit whenever allowed, for three hours.
    while (time.now() < start + 3 * 3_600_000) {
      const wait = limiter.waitMs();
      if (wait > 0) {
        time.advance(wait);
        continue;
      }
      limiter.take();
      commits.push(time.now());
      time.advance(100);
    }
    const most = (windowMs: number) => Math.max(...commits.map((at) => commits.filter((t) => t >= at && t < at + windowMs).length));
    expect(most(60_000)).toBeLessThanOrEqual(80);
    expect(most(3_600_000)).toBeLessThanOrEqual(500);
    const gaps = commits.slice(1).map((at, i) => at - commits[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(9_000);
    expect(commits.filter((at) => at >= start + 2 * 3_600_000).length).toBe(400);
  });
});
