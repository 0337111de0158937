import { etagOf, ifNoneMatchMatches } from "../../../src/api/etag.js";

const sha = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
const etag = etagOf(sha);

describe("ETags", () => {
  it("quotes the blob sha", () => {
    expect(etag).toBe(`"${sha}"`);
  });

  it.each([
    [`"${sha}"`, "the exact tag"],
    [`W/"${sha}"`, "the weak form"],
    [`"other", W/"${sha}"`, "a list holding it"],
    [`"a,b",  "${sha}"`, "a list whose other tag has a comma"],
    ["*", "a wildcard"],
    [" * ", "a wildcard with spaces"],
  ])("If-None-Match %s matches (%s)", (header) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(true);
  });

  it.each([
    [undefined, "no header"],
    ["", "an empty header"],
    [sha, "an unquoted sha"],
    [`"${sha.slice(0, -1)}"`, "a shorter tag"],
    [`"x", "y"`, "a list without it"],
    [`"*"`, "a quoted star"],
  ])("If-None-Match %s does not match (%s)", (header, _why) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(false);
  });
});
