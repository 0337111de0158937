import { DEFAULT_COLLECTIONS, DEFAULT_MAX_FILE_BYTES, DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../../src/config/repo-config.js";
import { ConfigError } from "../../../src/errors.js";

describe("parseRepoConfig", () => {
  it("uses the defaults when the file is absent or empty", () => {
    expect(parseRepoConfig(null)).toBe(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig(undefined)).toBe(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig({})).toEqual(DEFAULT_REPO_CONFIG);
  });

  it("fills in what a partial config leaves out", () => {
    const config = parseRepoConfig({ branch: "content", mirror: { include: ["content/**"] }, api: { public: ["content/**"] } });
    expect(config).toEqual({
      branch: "content",
      mirror: { include: ["content/**"], exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES },
      api: { public: ["content/**"] },
      collections: DEFAULT_COLLECTIONS,
    });
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
