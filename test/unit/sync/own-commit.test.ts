import type { RepoState } from "../../../src/store/store.js";
import { awaitOwnCommit, isGitdiskCommit } from "../../../src/sync/own-commit.js";

function storeReaching(sha: string, afterReads: number) {
  let reads = 0;
  return { getRepo: async () => ({ sha: ++reads > afterReads ? sha : "parent" }) as RepoState };
}

describe("gitdisk's own commits in push webhooks", () => {
  it("are recognised by the write ids their message names", () => {
    expect(isGitdiskCommit("gitdisk: 2 likes\n\nGitdisk-Write: 01JD0000000000000000000001\nGitdisk-User: ada")).toBe(true);
    expect(isGitdiskCommit("Fix a typo\n\nCo-authored-by: ada <ada@example.com>")).toBe(false);
    expect(isGitdiskCommit(null)).toBe(false);
  });

  it("are waited for until the write-back has applied them to the mirror", async () => {
    expect(await awaitOwnCommit(storeReaching("own", 2), 1, "own", 2_000)).toBe(true);
  });

  it("are synced like any push when the write-back never applies them (it crashed)", async () => {
    expect(await awaitOwnCommit(storeReaching("own", Infinity), 1, "own", 60)).toBe(false);
  });
});
