import picomatch from "picomatch";
import { compileGlob } from "../../../src/glob/compile-glob.js";
import { expandBraces, MAX_ALTERNATIVES } from "../../../src/glob/expand-braces.js";

const GLOBS = [
  "content/**",
  "**",
  "**/x",
  "a/**/b",
  "a/**b",
  "*",
  "*.txt",
  "a/*",
  "{a,b}/c",
  "[a-c]x",
  "x[!a]",
  "x[^a]",
  "a?c",
  "x{,y}",
  "\\*a",
  "a.{md,txt}",
  "**/.github/**",
  "**/*.md",
  "docs/**/*.{png,jpg}",
  "a*b*c",
  "?*",
  "[0-9][0-9]-*.md",
  "!drafts/**",
  "{a,{b,c}}/d",
];
const PATHS = [
  "content",
  "content/a/b",
  "contents/x",
  "a/b",
  "x",
  "a/b/x",
  "a/xb",
  "a/x/b",
  "a/x/y/b",
  "robots.txt",
  "dir/robots.txt",
  ".x",
  "b/c",
  "bx",
  "ax",
  "xa",
  "xb",
  "abc",
  "a/c",
  "*a",
  "a.txt",
  ".github/x",
  "p/.github/y",
  "README.md",
  "d/e/f.md",
  "docs/a/b.png",
  "docs/b.jpg",
  "aXbYc",
  "abc/d",
  "12-post.md",
  "1-post.md",
  "ü.md",
  "sp ace/ü.md",
  "drafts/x",
  "c/d",
  "e/d",
];

describe("compileGlob", () => {
  it.each(GLOBS)("matches %j as picomatch with dot: true does", (glob) => {
    const expected = picomatch(glob, { dot: true });
    const actual = compileGlob(glob);
    expect(PATHS.filter(actual)).toEqual(PATHS.filter((path) => expected(path)));
  });

  it("takes time linear in the path for a glob of many stars, where a backtracking regular expression takes seconds", () => {
    const crafted = "a".repeat(40);
    for (const glob of ["*a*a*a*a*a*a*b", "**/*a*a*a*a*a*a*a*a*a*a*b/**"]) {
      const matches = compileGlob(glob);
      const started = performance.now();
      expect(matches(crafted)).toBe(false);
      expect(matches(`${"a/".repeat(20)}${"a".repeat(200)}`)).toBe(false);
      expect(performance.now() - started).toBeLessThan(50);
    }
  });
});

describe("expandBraces", () => {
  it("expands nested alternatives and leaves escaped or unclosed braces alone", () => {
    expect(expandBraces("data/{users,likes/{a,b}}/*")).toEqual(["data/users/*", "data/likes/a/*", "data/likes/b/*"]);
    expect(expandBraces("a\\{b,c}")).toEqual(["a\\{b,c}"]);
    expect(expandBraces("a{b,c")).toEqual(["a{b,c"]);
    expect(expandBraces("{single}")).toEqual(["{single}"]);
  });

  it("stops at MAX_ALTERNATIVES however many a glob asks for", () => {
    expect(expandBraces("{a,b}".repeat(20))).toHaveLength(MAX_ALTERNATIVES);
  });
});
