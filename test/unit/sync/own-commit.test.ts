import { AppliedCommits } from "../../../src/applied-commits.js";
import { awaitOwnCommit, isGitdiskCommit } from "../../../src/sync/own-commit.js";

describe("gitdisk's own commits in push webhooks", () => {
  it("are recognised by the write ids their message names", () => {
    expect(isGitdiskCommit("gitdisk: 2 likes\n\nGitdisk-Write: 01JD0000000000000000000001\nGitdisk-User: ada")).toBe(true);
    expect(isGitdiskCommit("Fix a typo\n\nCo-authored-by: ada <ada@example.com>")).toBe(false);
    expect(isGitdiskCommit(null)).toBe(false);
  });

  it("are waited for until the write-back has applied them to the mirror", async () => {
    const applied = new AppliedCommits();
    const waiting = awaitOwnCommit(applied, 1, "own", 2_000);
    applied.announce(1, "own");
    expect(await waiting).toBe(true);
  });

  it("are synced like any push when the write-back never applies them (it crashed)", async () => {
    expect(await awaitOwnCommit(new AppliedCommits(), 1, "own", 0)).toBe(false);
  });
});
