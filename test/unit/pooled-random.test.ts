import { monotonicFactory } from "ulid";
import { pooledRandomFraction } from "../../src/pooled-random.js";

describe("pooledRandomFraction", () => {
  it("gives fractions in [0, 1) across pool refills, spread over the whole range", () => {
    const random = pooledRandomFraction(64);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]! += 1;
    }
    // 1,000 expected per bucket; 800 is more than six standard deviations away.
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });

  it("feeds ulid: distinct, increasing ids within one millisecond and across many", () => {
    const next = monotonicFactory(pooledRandomFraction());
    const ids = Array.from({ length: 2_000 }, (_, i) => next(1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
