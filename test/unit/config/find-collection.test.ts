import { findCollection } from "../../../src/config/find-collection.js";
import { parseRepoConfig } from "../../../src/config/repo-config.js";
import { NotFoundError } from "../../../src/errors.js";

function messageFor(raw: unknown, name: string, explain = true): string {
  try {
    findCollection(parseRepoConfig(raw), name, explain);
  } catch (error) {
    expect(error).toBeInstanceOf(NotFoundError);
    return (error as NotFoundError).message;
  }
  throw new Error(`expected no collection ${name}`);
}

describe("findCollection", () => {
  const posts = { path: "content/posts", id: "{slug}", write: "site" };

  it("finds a default collection beside declared ones", () => {
    expect(findCollection(parseRepoConfig({ collections: { posts } }), "likes", false)).toEqual({
      path: "data/likes",
      id: "{doc}/{user}",
      write: "user",
    });
  });

  it("says which collections exist and where each comes from", () => {
    expect(messageFor({ collections: { posts } }, "likse")).toBe(
      'no collection "likse"; this repository has profiles, messages, likes (default); posts (declared in .github/gitdisk.yml)',
    );
  });

  it("says why a default collection is off", () => {
    expect(messageFor({ collections: { likes: false, posts } }, "likes")).toBe(
      'no collection "likes": the default collection likes is turned off in .github/gitdisk.yml (likes: false); ' +
        "this repository has profiles, messages (default); posts (declared in .github/gitdisk.yml)",
    );
    expect(messageFor({ mirror: { exclude: ["data/**"] } }, "likes")).toBe(
      'no collection "likes": the default collection likes is off: mirror.exclude "data/**" leaves its folder data/likes/ out of the mirror; ' +
        "this repository has no collections",
    );
  });

  it("names no other collection to a caller who may not read the config", () => {
    expect(messageFor({ collections: { posts } }, "likse", false)).toBe('no collection "likse"');
  });
});
