import { commitTrailers, writeIdsIn } from "../../../src/git/commit-trailers.js";

describe("commit trailers", () => {
  it("name every write, then every user, one per line", () => {
    expect(commitTrailers(["w1", "w2"], ["ada"])).toBe("Gitdisk-Write: w1\nGitdisk-Write: w2\nGitdisk-User: ada");
  });

  it("are read back as the write ids they name, whatever surrounds them", () => {
    const message = `gitdisk: 2 likes\n\n${commitTrailers(["w1", "w2"], ["ada", "bob"])}\nCo-authored-by: ada <ada@example.com>`;
    expect(writeIdsIn(message)).toEqual(["w1", "w2"]);
  });

  it("are found only as whole lines, not in prose", () => {
    expect(writeIdsIn("Fix typo\n\nMentions Gitdisk-Write: in prose only")).toEqual([]);
  });
});
