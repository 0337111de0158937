import { DEFAULT_COLLECTIONS, DEFAULT_MAX_FILE_BYTES, DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../../src/config/repo-config.js";
import { ConfigError } from "../../../src/errors.js";

describe("parseRepoConfig", () => {
  it("uses the defaults when the file is absent or empty", () => {
    expect(parseRepoConfig(null)).toBe(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig(undefined)).toBe(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig({})).toEqual(DEFAULT_REPO_CONFIG);
  });

  it("fills in what a partial config leaves out", () => {
    const config = parseRepoConfig({ branch: "content", mirror: { exclude: ["drafts/**"] }, api: { public: ["content/**"] } });
    expect(config).toEqual({
      branch: "content",
      mirror: { include: ["**"], exclude: ["drafts/**"], maxFileBytes: DEFAULT_MAX_FILE_BYTES },
      api: { public: ["content/**"], origins: [], visitorLimits: { writesPerMinute: 60, writesPerDay: 1000 } },
      collections: DEFAULT_COLLECTIONS,
    });
  });

  it("takes the site's origins and visitor limits, a limit left out keeping its default", () => {
    const config = parseRepoConfig({
      api: { origins: ["https://blog.example.com", "http://localhost:8080"], visitorLimits: { writesPerDay: 50 } },
    });
    expect(config.api.origins).toEqual(["https://blog.example.com", "http://localhost:8080"]);
    expect(config.api.visitorLimits).toEqual({ writesPerMinute: 60, writesPerDay: 50 });
  });

  it("refuses an origin not written as a browser sends it, saying how to write it", () => {
    const problems = (origins: string[]) => {
      try {
        parseRepoConfig({ api: { origins } });
        return [];
      } catch (error) {
        return (error as ConfigError).context.problems as string[];
      }
    };
    expect(problems(["https://Blog.Example.com"])).toEqual([
      'api.origins[0] "https://Blog.Example.com" must be written as https://blog.example.com',
    ]);
    expect(problems(["https://example.com:443"])).toEqual([
      'api.origins[0] "https://example.com:443" must be written as https://example.com',
    ]);
    expect(problems(["https://example.com/blog"]).join()).toMatch(/api\.origins\[0\]: is not an origin/);
    expect(problems(["javascript:alert(1)", "*"])).toHaveLength(2);
  });

  it("has no schema on the default profiles collection", () => {
    expect(DEFAULT_COLLECTIONS.profiles).toEqual({ path: "data/users", id: "{user}", write: "owner" });
  });

  it("merges declared collections with the defaults: a default's name replaces it, false turns it off", () => {
    const posts = { path: "content/posts", id: "{slug}", write: "site" } as const;
    const config = parseRepoConfig({
      collections: { posts, likes: false, profiles: { path: "people", id: "{user}", write: "owner", format: "markdown" } },
    });
    expect(config.collections).toEqual({
      profiles: { path: "people", id: "{user}", write: "owner", format: "markdown" },
      messages: DEFAULT_COLLECTIONS.messages,
      posts,
    });
  });

  it("does not offer a default collection whose folder the mirror leaves out", () => {
    const config = parseRepoConfig({ mirror: { include: ["content/**", "data/likes/**"], exclude: ["data/likes/secret/**"] } });
    expect(Object.keys(config.collections)).toEqual(["likes"]);
  });

  const problemsOf = (raw: unknown): string[] => {
    try {
      parseRepoConfig(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).context.problems as string[];
    }
    throw new Error("expected a ConfigError");
  };

  it("names an unknown key by its path in the file, with the key it probably meant", () => {
    expect(problemsOf({ collections: { likes: { path: "data/likes", id: "{doc}/{user}", write: "user", wirte: "user" } } })).toEqual([
      'collections.likes.wirte: unknown key (did you mean "write"?)',
    ]);
    expect(problemsOf({ mirror: { exclude: [], surprise: true } })).toEqual(["mirror.surprise: unknown key"]);
    expect(problemsOf({ mirrors: {} })).toEqual(['mirrors: unknown key (did you mean "mirror"?)']);
  });

  it("says what each other problem is, in plain words, at its key", () => {
    expect(problemsOf({ branch: "a b", mirror: { include: "content/**", maxFileBytes: -5 } })).toEqual([
      "branch: is not a branch name git accepts",
      "mirror.include: must be a list",
      "mirror.maxFileBytes: must be >= 1",
    ]);
    expect(problemsOf({ mirror: { exclude: ["ok", ""] } })).toEqual(["mirror.exclude[1]: must NOT have fewer than 1 characters"]);
    expect(problemsOf({ collections: { posts: { path: "p", id: "{ulid}" }, likes: true } })).toEqual([
      "collections.posts.write: missing (required)",
      "collections.likes: must be a collection (path, id, write, …) or false to turn a default collection off",
    ]);
    expect(problemsOf({ collections: { likes: { path: "data/likes", id: "{doc} {user}", write: "user" } } })).toEqual([
      "collections.likes.id: may not contain white space",
    ]);
    expect(problemsOf({ collections: { posts: false } })).toEqual([
      "collections.posts: false turns a default collection off, and posts is not one (they are profiles, messages, likes)",
    ]);
    expect(problemsOf(["branch"])).toEqual(["the file: must be a mapping of keys"]);
  });

  it("refuses a collection whose records the mirror leaves out, naming the collection, the rule and its folder", () => {
    const posts = { path: "data/posts", id: "{ulid}", write: "user" };
    expect(problemsOf({ mirror: { exclude: ["drafts/**", "data/**"] }, collections: { posts } })).toEqual([
      'collections.posts: its records in data/posts/ are left out of the mirror by mirror.exclude "data/**", so writes would never show in reads',
    ]);
    expect(problemsOf({ mirror: { include: ["content/**"] }, collections: { posts } })).toEqual([
      'collections.posts: its records in data/posts/ are left out of the mirror by mirror.include ["content/**"], so writes would never show in reads',
    ]);
    expect(problemsOf({ mirror: { exclude: ["**/*.md"] }, collections: { posts: { ...posts, format: "markdown" } } })[0]).toMatch(
      /collections\.posts: .* mirror\.exclude "\*\*\/\*\.md"/,
    );
  });

  it("refuses a schema file the mirror leaves out, naming the rule", () => {
    const posts = { path: "content/posts", id: "{ulid}", write: "user", schema: "schemas/post.json" };
    expect(problemsOf({ mirror: { exclude: ["schemas/**"] }, collections: { posts } })).toEqual([
      'collections.posts.schema: schemas/post.json is left out of the mirror by mirror.exclude "schemas/**", so no record could be checked against it',
    ]);
  });

  it("compiles id templates, so one that can never work is a config error and not a 422 on every write", () => {
    expect(problemsOf({ collections: { likes: { path: "data/likes", id: "{doc}{user}", write: "user" } } })).toEqual([
      "collections.likes.id: id template {doc}{user}: {doc} and {user} need text between them, or an id could be split between them in several ways",
    ]);
  });

  it("accepts the collections of the write-back example and trims trailing slashes", () => {
    const config = parseRepoConfig({
      collections: {
        profiles: { path: "data/users/", id: "{user}", schema: "schemas/profile.json", write: "owner" },
        messages: { path: "data/messages", id: "{ulid}", write: "user", maxBytes: 8192, format: "markdown" },
      },
    });
    expect(config.collections.profiles?.path).toBe("data/users");
    expect(config.collections.messages).toEqual({ path: "data/messages", id: "{ulid}", write: "user", maxBytes: 8192, format: "markdown" });
  });

  it.each([
    ["an unknown key", { mirrors: {} }],
    ["a wrong type", { mirror: { include: "content/**" } }],
    ["a size over GitHub's limit", { mirror: { maxFileBytes: 200 * 1024 * 1024 } }],
    ["a branch name git refuses", { branch: "a b" }],
    ["an unknown write policy", { collections: { likes: { path: "d", id: "{user}", write: "anyone" } } }],
    ["a collection escaping the repository", { collections: { likes: { path: "../x", id: "{user}", write: "user" } } }],
    ["a collection under .github", { collections: { likes: { path: ".github/x", id: "{user}", write: "user" } } }],
    ["a collection in .git", { collections: { likes: { path: "a/.git/x", id: "{user}", write: "user" } } }],
    ["a bad collection name", { collections: { "Bad Name": { path: "d", id: "{user}", write: "user" } } }],
    ["a list instead of a map", ["branch"]],
  ])("rejects %s with a ConfigError naming the problem", (_label, raw) => {
    expect(() => parseRepoConfig(raw)).toThrow(ConfigError);
  });

  it("lists every problem at once", () => {
    try {
      parseRepoConfig({ branch: 3, mirror: { maxFileBytes: -1 } });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).context.problems).toHaveLength(2);
    }
  });
});
