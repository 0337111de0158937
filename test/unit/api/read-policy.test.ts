import { publicPaths } from "../../../src/api/public-paths.js";
import { readPolicy } from "../../../src/api/read-policy.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../../src/config/repo-config.js";

const withPublic = (globs: string[]): RepoConfig => ({ ...DEFAULT_REPO_CONFIG, api: { ...DEFAULT_REPO_CONFIG.api, public: globs } });
const anonymous = { key: false };
const keyed = { key: true };

describe("readPolicy", () => {
  it("lets the key read everything, .github included", () => {
    const canRead = readPolicy({ private: true, config: withPublic([]) }, keyed);
    expect(["notes/secret.md", ".github/gitdisk.yml", ".github/workflows/ci.yml"].every(canRead)).toBe(true);
  });

  it("opens a public repository without the key, except .github", () => {
    const canRead = readPolicy({ private: false, config: withPublic([]) }, anonymous);
    expect(canRead("notes/any.md")).toBe(true);
    expect(canRead("content/.hidden")).toBe(true);
    expect(canRead(".github/gitdisk.yml")).toBe(false);
    expect(canRead(".GitHub/workflows/x.yml")).toBe(false);
    expect(canRead(".githubx/ok.md")).toBe(true);
  });

  it("opens a private repository without the key only where api.public globs say, never .github", () => {
    const canRead = readPolicy({ private: true, config: withPublic(["content/**", "*.txt", ".github/**"]) }, anonymous);
    expect(canRead("content/post.md")).toBe(true);
    expect(canRead("content/.drafts/x.md")).toBe(true);
    expect(canRead("robots.txt")).toBe(true);
    expect(canRead("notes/secret.md")).toBe(false);
    expect(canRead("dir/robots.txt")).toBe(false);
    expect(canRead("contents/x.md")).toBe(false);
    expect(canRead(".github/gitdisk.yml")).toBe(false);
  });

  it("keeps a private repository without api.public globs closed", () => {
    const canRead = readPolicy({ private: true, config: withPublic([]) }, anonymous);
    expect(canRead("index.html")).toBe(false);
  });

  it("answers a crafted path against a glob of many stars at once (a backtracking matcher took 1.3 s)", () => {
    const canRead = readPolicy({ private: true, config: withPublic(["*a*a*a*a*a*a*b", "content/**"]) }, anonymous);
    const started = performance.now();
    expect(canRead("a".repeat(40))).toBe(false);
    expect(canRead("content/x.md")).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("compiles each distinct api.public list once, though every request brings a freshly parsed config", () => {
    expect(publicPaths(["content/**", "*.txt"])).toBe(publicPaths(["content/**", "*.txt"]));
    expect(publicPaths(["content/**"])).not.toBe(publicPaths(["content/**", "*.txt"]));
  });
});
