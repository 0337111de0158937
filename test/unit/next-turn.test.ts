import { filterInTurns } from "../../src/next-turn.js";

describe("filterInTurns", () => {
  it("keeps what Array.filter keeps, in order", async () => {
    const items = Array.from({ length: 1234 }, (_, i) => i);
    expect(await filterInTurns(items, (n) => n % 7 !== 3, 100)).toEqual(items.filter((n) => n % 7 !== 3));
    expect(await filterInTurns([], () => true)).toEqual([]);
  });

  it("lets the event loop run between chunks, not within one", async () => {
    // Another task that wants a turn of the event loop again and again.
    let turns = 0;
    let ticker = setImmediate(function tick() {
      turns++;
      ticker = setImmediate(tick);
    });
    const seenAt: number[] = [];
    await filterInTurns(
      [0, 1, 2, 3, 4],
      () => {
        seenAt.push(turns);
        return true;
      },
      2,
    );
    clearImmediate(ticker);
    expect(seenAt[0]).toBe(seenAt[1]);
    expect(seenAt[2]).toBe(seenAt[3]);
    expect(seenAt[2]!).toBeGreaterThan(seenAt[1]!);
    expect(seenAt[4]!).toBeGreaterThan(seenAt[3]!);
  });
});
