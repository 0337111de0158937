import { writeIdsIn } from "../../../src/git/commit-trailers.js";
import { commitMessage } from "../../../src/writeback/commit-message.js";
import { writeRecord } from "../../helpers/write-fixtures.js";

describe("commitMessage", () => {
  it("counts the records per collection in the headline and names every write and user in trailers", () => {
    const writes = [
      writeRecord("data/likes/p1/alice.json", "{}", { collection: "likes", user: "alice" }),
      writeRecord("data/likes/p1/bob.json", "{}", { collection: "likes", user: "bob" }),
      writeRecord("data/likes/p1/bob.json", null, { collection: "likes", user: "bob" }),
      writeRecord("data/messages/m1.json", "{}", { collection: "messages", user: "carol" }),
      writeRecord("data/users/alice.json", "{}", { collection: "profiles", user: "alice" }),
      writeRecord("data/stories/s.json", "{}", { collection: "stories", user: "alice" }),
      writeRecord("data/stories/t.json", "{}", { collection: "stories", user: "alice" }),
    ];
    const message = commitMessage(writes);
    expect(message.headline).toBe("gitdisk: 2 likes, 2 stories, 1 message, 1 profile");
    const lines = message.body.split("\n");
    expect(lines.slice(0, 7)).toEqual(writes.map((w) => `Gitdisk-Write: ${w.id}`));
    expect(lines.slice(7)).toEqual(["Gitdisk-User: alice", "Gitdisk-User: bob", "Gitdisk-User: carol"]);
  });

  it("names a lone record of a collection in the singular", () => {
    expect(commitMessage([writeRecord("a", "1", { collection: "replies" })]).headline).toBe("gitdisk: 1 reply");
    expect(commitMessage([writeRecord("a", "1", { collection: "access" })]).headline).toBe("gitdisk: 1 access");
  });
});

describe("writeIdsIn", () => {
  it("reads back the write ids of a gitdisk commit, and none from other commits", () => {
    const writes = [writeRecord("a", "1"), writeRecord("b", "2")];
    const { headline, body } = commitMessage(writes);
    expect(writeIdsIn(`${headline}\n\n${body}`)).toEqual(writes.map((w) => w.id));
    expect(writeIdsIn("Fix typo\n\nMentions Gitdisk-Write: in prose only")).toEqual([]);
  });
});
