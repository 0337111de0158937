import { BadRequestError } from "../../src/errors.js";
import { assertSafePath, isUnderDotGithub, pathProblem } from "../../src/paths.js";

describe("path safety", () => {
  it.each([
    "a.md",
    "content/post 1.md",
    "dir/.hidden",
    "ünïcode/ファイル.json",
    "emoji 😀.json",
    "a\u00a0b.md",
    "a\u0085b (a C1 control, which git allows).md",
    ".github/gitdisk.yml",
    ".gitignore",
    "my.git/a",
    "git~10/a",
    ".gits/a",
  ])("accepts %s", (path) => {
    expect(pathProblem(path)).toBeUndefined();
    expect(assertSafePath(path)).toBe(path);
  });

  it.each([
    ["", /empty/],
    ["../etc/passwd", /'\.\.'/],
    ["a/../../b", /'\.\.'/],
    ["./a", /'\.'/],
    ["/abs", /relative/],
    ["a\\b", /forward slashes/],
    ["a//b", /empty segment/],
    ["a/\u0000b", /control/],
    ["a\nb", /control/],
    ["a\ud800b", /lone surrogate/],
    ["a\udfffb", /lone surrogate/],
    [".git/config", /\.git/],
    ["x/.GIT/hooks", /\.git/],
    // Names git refuses to check out, because a checkout on macOS or Windows would write into .git.
    ["data/git~1/a.json", /\.git/],
    ["data/GIT~1/a.json", /\.git/],
    ["data/.git\u200c/a.json", /\.git/],
    ["data/.g\ufeffit/a.json", /\.git/],
    ["data/.git. . /a.json", /\.git/],
    ["data/.git::$INDEX_ALLOCATION/a.json", /\.git/],
    [`a/${"x".repeat(256)}`, /255 bytes/],
  ])("refuses %j", (path, reason) => {
    expect(pathProblem(path)).toMatch(reason);
    expect(() => assertSafePath(path)).toThrow(BadRequestError);
  });

  it("recognises .github in any case", () => {
    expect(isUnderDotGithub(".github/workflows/x.yml")).toBe(true);
    expect(isUnderDotGithub(".GitHub")).toBe(true);
    expect(isUnderDotGithub(".githubx/a")).toBe(false);
    expect(isUnderDotGithub("docs/.github/a")).toBe(false);
  });
});
