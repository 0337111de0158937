import { BranchHeads } from "../../src/branch-heads.js";

const sha = (n: number) => String(n).repeat(40).slice(0, 40);

describe("BranchHeads", () => {
  it("follows pushes that continue the known head, and ignores late or unrelated ones", () => {
    const heads = new BranchHeads();
    expect(heads.get(1, "main")).toBeNull();
    heads.pushed(1, "main", sha(1), sha(2)); // nothing known yet: taken
    heads.pushed(1, "main", sha(2), sha(3));
    expect(heads.get(1, "main")).toBe(sha(3));
    heads.pushed(1, "main", sha(1), sha(2)); // delivered again, late
    heads.pushed(1, "main", sha(7), sha(8)); // after a missed delivery, or a force push
    expect(heads.get(1, "main")).toBe(sha(3));
    expect(heads.get(1, "other")).toBeNull();
    heads.pushed(1, "main", sha(3), null); // deleted: nothing is known of it any more
    expect(heads.get(1, "main")).toBeNull();
    expect(heads.get(2, "main")).toBeNull();
  });

  it("catches up along pushes heard of before the head they continue", () => {
    const heads = new BranchHeads();
    heads.set(1, "main", sha(1));
    // Someone pushes on top of our commit (sha 2) before GitHub's answer to our commit call arrives.
    heads.pushed(1, "main", sha(2), sha(3));
    heads.pushed(1, "main", sha(3), sha(4));
    expect(heads.get(1, "main")).toBe(sha(1));
    heads.set(1, "main", sha(2));
    expect(heads.get(1, "main")).toBe(sha(4));
  });

  it("answers at once when the head already differs, when a push announces one, or with null after the wait", async () => {
    const heads = new BranchHeads();
    heads.set(1, "main", sha(2));
    await expect(heads.changedFrom(1, "main", sha(1), 1_000)).resolves.toBe(sha(2));
    const waiting = heads.changedFrom(1, "main", sha(2), 1_000);
    heads.pushed(1, "main", sha(2), sha(3));
    await expect(waiting).resolves.toBe(sha(3));
    await expect(heads.changedFrom(1, "main", sha(3), 20)).resolves.toBeNull();
  });

  it("stops waiting with null when shutting down", async () => {
    const heads = new BranchHeads();
    heads.set(1, "main", sha(2));
    const shutdown = new AbortController();
    const waiting = heads.changedFrom(1, "main", sha(2), 60_000, shutdown.signal);
    shutdown.abort();
    await expect(waiting).resolves.toBeNull();
    await expect(heads.changedFrom(1, "main", sha(2), 60_000, shutdown.signal)).resolves.toBeNull();
    // A push after the wait ended finds no listener left behind.
    heads.pushed(1, "main", sha(2), sha(3));
    expect(heads.get(1, "main")).toBe(sha(3));
  });

  describe("the moment to retry a refused commit", () => {
    function clockedHeads() {
      const clock = { ms: 10_000 };
      return { clock, heads: new BranchHeads(() => clock.ms) };
    }
    const settledWithin = async (promise: Promise<void>, ms: number) =>
      Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

    it("is now when nothing is known, when the head has only just moved, or when it has been still long enough", async () => {
      const { clock, heads } = clockedHeads();
      expect(await settledWithin(heads.retryMoment(1, "main", 1_000), 5)).toBe(true);
      heads.pushed(1, "main", sha(1), sha(2));
      clock.ms += 10;
      expect(await settledWithin(heads.retryMoment(1, "main", 1_000), 5)).toBe(true);
      clock.ms += 1_000;
      expect(await settledWithin(heads.retryMoment(1, "main", 1_000), 5)).toBe(true);
    });

    it("on a branch that moved a moment ago, is right after its next move", async () => {
      const { clock, heads } = clockedHeads();
      heads.pushed(1, "main", sha(1), sha(2));
      clock.ms += 200;
      const moment = heads.retryMoment(1, "main", 60_000);
      expect(await settledWithin(moment, 20)).toBe(false);
      heads.pushed(1, "main", sha(2), sha(3));
      expect(await settledWithin(moment, 5)).toBe(true);
    });

    it("waits no longer than until the branch has been still for the quiet time, nor past shutdown", async () => {
      const { clock, heads } = clockedHeads();
      heads.pushed(1, "main", sha(1), sha(2));
      clock.ms += 970;
      expect(await settledWithin(heads.retryMoment(1, "main", 1_000), 200)).toBe(true); // 30 ms left of the quiet time
      const shutdown = new AbortController();
      clock.ms -= 900;
      const waiting = heads.retryMoment(1, "main", 60_000, shutdown.signal);
      shutdown.abort();
      expect(await settledWithin(waiting, 5)).toBe(true);
    });
  });
});
