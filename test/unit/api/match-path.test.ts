import { compilePattern, matchPath } from "../../../src/api/match-path.js";
import { BadRequestError } from "../../../src/errors.js";

describe("matchPath", () => {
  const files = compilePattern("/v1/repos/{owner}/{repo}/files/{path...}");
  const tree = compilePattern("/v1/repos/{owner}/{repo}/tree");

  it("matches literals and decodes parameters", () => {
    expect(matchPath(tree, "/v1/repos/Octo/my.site/tree")).toEqual({ owner: "Octo", repo: "my.site" });
    expect(matchPath(files, "/v1/repos/o/r/files/dir/sp%20ace/%C3%BC.md")).toEqual({ owner: "o", repo: "r", path: "dir/sp ace/ü.md" });
    expect(matchPath(compilePattern("/healthz"), "/healthz")).toEqual({});
  });

  it.each([
    ["/v1/repos/o/r/tree/", "a trailing segment"],
    ["/v1/repos/o/r", "a missing segment"],
    ["/v1/repos/o//tree", "an empty parameter"],
    ["/v1/repos/o/r/TREE", "a literal in another case"],
    ["/v1/repos/o/r%2Ftree", "an encoded slash standing in for a separator"],
    ["v1/repos/o/r/tree", "a path that is not absolute"],
  ])("does not match %s (%s)", (path) => {
    expect(matchPath(tree, path)).toBeUndefined();
  });

  it("needs at least one character for a rest parameter and keeps its inner slashes", () => {
    expect(matchPath(files, "/v1/repos/o/r/files/")).toBeUndefined();
    expect(matchPath(files, "/v1/repos/o/r/files")).toBeUndefined();
    expect(matchPath(files, "/v1/repos/o/r/files/a//b/")).toEqual({ owner: "o", repo: "r", path: "a//b/" });
    expect(matchPath(files, "/v1/repos/o/r/files/a%2Fb")).toMatchObject({ path: "a/b" });
  });

  it("refuses invalid percent-encoding with a 400, but only on a path the pattern matches", () => {
    expect(() => matchPath(files, "/v1/repos/o/r/files/a%zz")).toThrow(BadRequestError);
    expect(() => matchPath(files, "/v1/repos/o/r/files/%E0%A4%A")).toThrow(/percent-encoding/);
    expect(() => matchPath(tree, "/v1/repos/%zz/r/tree")).toThrow(BadRequestError);
    expect(matchPath(tree, "/v1/repos/%zz/r/status")).toBeUndefined();
  });

  it("rejects malformed patterns when the routes are compiled", () => {
    expect(() => compilePattern("v1/x")).toThrow(/start with/);
    expect(() => compilePattern("/v1/{rest...}/x")).toThrow(/last segment/);
    expect(() => compilePattern("/v1/{bad-name}")).toThrow(/malformed/);
  });
});
