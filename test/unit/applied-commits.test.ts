import { AppliedCommits } from "../../src/applied-commits.js";

describe("AppliedCommits", () => {
  it("wakes whoever waits for the commit once it is announced", async () => {
    const applied = new AppliedCommits();
    const first = applied.waitFor(1, "c1", 60_000);
    const second = applied.waitFor(1, "c1", 60_000);
    applied.announce(1, "c1");
    expect(await Promise.all([first, second])).toEqual([true, true]);
  });

  it("answers at once for a commit announced before the wait began, so no announcement is missed", async () => {
    const applied = new AppliedCommits();
    applied.announce(1, "c1");
    applied.announce(1, "c2");
    expect(await applied.waitFor(1, "c1", 0)).toBe(true);
  });

  it("gives up after the timeout for a commit never announced, and tells commits and repositories apart", async () => {
    const applied = new AppliedCommits();
    const otherCommit = applied.waitFor(1, "c2", 0);
    const otherRepo = applied.waitFor(2, "c1", 0);
    applied.announce(1, "c1");
    expect(await Promise.all([otherCommit, otherRepo])).toEqual([false, false]);
  });

  it("remembers a repository's last sixteen commits, not all of them", async () => {
    const applied = new AppliedCommits();
    for (let i = 0; i <= 16; i++) applied.announce(1, `c${i}`);
    expect(await applied.waitFor(1, "c0", 0)).toBe(false);
    expect(await applied.waitFor(1, "c1", 0)).toBe(true);
  });

  it("wakes a later wait for the same commit after an earlier one timed out", async () => {
    const applied = new AppliedCommits();
    expect(await applied.waitFor(1, "c1", 0)).toBe(false);
    const again = applied.waitFor(1, "c1", 60_000);
    applied.announce(1, "c1");
    expect(await again).toBe(true);
  });
});
