import { createMemoryVisitorLimits } from "../../../src/auth/visitor-limits.js";

const LIMITS = { writesPerMinute: 3, writesPerDay: 5 };

describe("in-memory visitor limits", () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = Date.UTC(2025, 0, 1);
  });

  it("allows a minute's writes at once, then one per minute/limit, saying when to retry", async () => {
    const limits = createMemoryVisitorLimits({ now });
    for (let i = 0; i < 3; i++) expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: true });
    expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: false, retryAfterSeconds: 20 });
    clock += 19_000;
    expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock += 1_000;
    expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: true });
  });

  it("counts a refused write for nothing, and keeps to the day's limit across minutes", async () => {
    const limits = createMemoryVisitorLimits({ now });
    for (let i = 0; i < 3; i++) await limits.take(1, "alice", LIMITS);
    for (let i = 0; i < 10; i++) expect((await limits.take(1, "alice", LIMITS)).ok).toBe(false);
    clock += 60_000;
    expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: true });
    expect(await limits.take(1, "alice", LIMITS)).toEqual({ ok: true });
    // Five in the day: the sixth waits for a fifth of a day after the window the five filled.
    const refused = await limits.take(1, "alice", LIMITS);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(17_000);
  });

  it("counts each visitor in each repository apart", async () => {
    const limits = createMemoryVisitorLimits({ now });
    for (let i = 0; i < 3; i++) await limits.take(1, "alice", LIMITS);
    expect((await limits.take(1, "alice", LIMITS)).ok).toBe(false);
    expect((await limits.take(1, "bob", LIMITS)).ok).toBe(true);
    expect((await limits.take(2, "alice", LIMITS)).ok).toBe(true);
  });

  it("takes the repository's limits as they are now: a raised limit frees the visitor sooner", async () => {
    const limits = createMemoryVisitorLimits({ now });
    for (let i = 0; i < 3; i++) await limits.take(1, "alice", LIMITS);
    const raised = { writesPerMinute: 60, writesPerDay: 1000 };
    expect(await limits.take(1, "alice", raised)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock += 1_000;
    expect(await limits.take(1, "alice", raised)).toEqual({ ok: true });
  });

  it("keeps at most maxVisitors, forgetting the least recently active first", async () => {
    const limits = createMemoryVisitorLimits({ now, maxVisitors: 2 });
    for (let i = 0; i < 3; i++) await limits.take(1, "alice", LIMITS);
    await limits.take(1, "bob", LIMITS);
    await limits.take(1, "carol", LIMITS);
    // alice was forgotten (forgiven) to make room.
    expect((await limits.take(1, "alice", LIMITS)).ok).toBe(true);
  });

  it("forgets visitors once idle long enough to have every write back", async () => {
    const limits = createMemoryVisitorLimits({ now, maxVisitors: 1 });
    await limits.take(1, "alice", LIMITS);
    clock += 24 * 3600_000;
    // alice is swept, so bob's entry does not push anyone out; and nothing is held against either.
    expect((await limits.take(1, "bob", LIMITS)).ok).toBe(true);
    expect((await limits.take(1, "alice", LIMITS)).ok).toBe(true);
  });

  it("allows exactly the limit when window/limit is not a whole number of milliseconds", async () => {
    const limits = createMemoryVisitorLimits({ now });
    const odd = { writesPerMinute: 7, writesPerDay: 1000 };
    for (let i = 0; i < 7; i++) expect((await limits.take(1, "alice", odd)).ok).toBe(true);
    expect((await limits.take(1, "alice", odd)).ok).toBe(false);
  });
});
