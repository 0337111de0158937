import { expectedHeadFor } from "../../../src/writeback/repo-flusher.js";

describe("expectedHeadFor", () => {
  const repo = { branch: "main", sha: "m1" };

  it("expects the mirror's head while no newer one was heard of", () => {
    expect(expectedHeadFor(repo, "main", null)).toBe("m1");
  });

  it("expects the newest head heard of (our last commit, or a push announced before the mirror has it)", () => {
    expect(expectedHeadFor(repo, "main", "heard")).toBe("heard");
  });

  it("knows nothing of a branch the mirror does not track, except what was heard of it", () => {
    expect(expectedHeadFor(repo, "other", null)).toBeNull();
    expect(expectedHeadFor(repo, "other", "x")).toBe("x");
  });
});
