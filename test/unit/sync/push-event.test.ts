import { parsePushEvent } from "../../../src/sync/push-event.js";
import { looksBig, mayTouch } from "../../../src/sync/push-hints.js";
import { pushPayload } from "../../fixtures/events/github-examples.js";

const before = "a".repeat(40);
const after = "b".repeat(40);

describe("parsePushEvent", () => {
  it("reads GitHub's example push", () => {
    const push = parsePushEvent(pushPayload({ before, after, commits: [{ added: ["x.md"], modified: ["y.md"] }] }));
    expect(push).toEqual({
      repository: { id: 186853002, owner: "Codertocat", name: "Hello-World", private: false },
      installationId: 957387,
      ref: "refs/heads/master",
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      commits: [{ added: ["x.md"], removed: [], modified: ["y.md"] }],
      headCommitMessage: "Initial commit",
    });
  });

  it("accepts a deletion (after = zeros, no commits) and a push without an installation", () => {
    const deletion = parsePushEvent(pushPayload({ before, after: "0".repeat(40), deleted: true, installationId: null }));
    expect(deletion).toMatchObject({ deleted: true, installationId: null, commits: [] });
    expect(parsePushEvent({ ...pushPayload({ before, after }), head_commit: null })).toMatchObject({ headCommitMessage: null });
  });

  it.each([
    ["not an object", null, /not an object/],
    ["no repository", { repository: undefined }, /repository is missing/],
    ["repository without id", { repository: { name: "x", owner: { login: "o" } } }, /repository is missing/],
    ["owner without login", { repository: { id: 1, name: "x", owner: {} } }, /owner has no login/],
    ["private not a boolean", { repository: { id: 1, name: "x", owner: { login: "o" }, private: "yes" } }, /private is not a boolean/],
    ["ref not a string", { ref: 7 }, /is not a git ref/],
    ["ref with a space", { ref: "refs/heads/a b" }, /is not a git ref/],
    ["short after", { after: "abc" }, /after is not a 40-hex/],
    ["upper-case before", { before: "A".repeat(40) }, /before is not a 40-hex/],
    ["commits not a list", { commits: "many" }, /commits is not a list/],
    ["commit lists not strings", { commits: [{ added: [1] }] }, /malformed/],
  ])("rejects %s", (_case, override, problem) => {
    const payload = override === null ? null : { ...pushPayload({ before, after }), ...override };
    const result = parsePushEvent(payload);
    expect(result).toEqual({ problem: expect.stringMatching(problem) });
  });
});

describe("push hints", () => {
  const parse = (commits: { added?: string[]; removed?: string[]; modified?: string[] }[]) => {
    const push = parsePushEvent(pushPayload({ before, after, commits }));
    if ("problem" in push) throw new Error(push.problem);
    return push;
  };

  it("calls a push big from 20 commits or 250 listed paths", () => {
    expect(looksBig(parse(Array.from({ length: 19 }, () => ({ added: ["a"] }))))).toBe(false);
    expect(looksBig(parse(Array.from({ length: 20 }, () => ({ added: ["a"] }))))).toBe(true);
    expect(looksBig(parse([{ added: Array.from({ length: 249 }, (_, i) => `f${i}`) }]))).toBe(false);
    expect(
      looksBig(parse([{ added: Array.from({ length: 200 }, (_, i) => `f${i}`), removed: Array.from({ length: 50 }, (_, i) => `g${i}`) }])),
    ).toBe(true);
  });

  it("says a path may be touched when a commit lists it, or the list may be truncated", () => {
    expect(mayTouch(parse([{ modified: [".github/gitdisk.yml"] }]), ".github/gitdisk.yml")).toBe(true);
    expect(mayTouch(parse([{ removed: [".github/gitdisk.yml"] }]), ".github/gitdisk.yml")).toBe(true);
    expect(mayTouch(parse([{ modified: ["README.md"] }]), ".github/gitdisk.yml")).toBe(false);
    expect(mayTouch(parse(Array.from({ length: 20 }, () => ({ modified: ["README.md"] }))), ".github/gitdisk.yml")).toBe(true);
  });
});
