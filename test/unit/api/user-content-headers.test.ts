import { contentTypeFor } from "../../../src/api/content-type.js";
import { userContentHeaders } from "../../../src/api/user-content-headers.js";

describe("userContentHeaders", () => {
  it.each([
    "page.html",
    "page.xhtml",
    "icon.svg",
    "data.xml",
    "style.xsl",
    "transform.xslt",
    "feed.rss",
    "feed.atom",
    "meta.rdf",
    "formula.mml",
    "paper.pdf",
  ])("has %s downloaded: a browser would render it, and may run what it holds", (path) => {
    expect(userContentHeaders(contentTypeFor(path))).toMatchObject({ "content-disposition": "attachment" });
  });

  it.each(["post.md", "data.json", "photo.png", "notes.txt"])("serves %s inline, sandboxed", (path) => {
    const headers = userContentHeaders(contentTypeFor(path));
    expect(headers["content-disposition"]).toBeUndefined();
    expect(headers["content-security-policy"]).toMatch(/sandbox$/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });
});
