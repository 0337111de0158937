import { contentTypeFor } from "../../../src/api/content-type.js";

describe("contentTypeFor", () => {
  it.each([
    ["content/post.md", "text/markdown; charset=utf-8"],
    ["data/users/ann.json", "application/json; charset=utf-8"],
    ["index.HTML", "text/html; charset=utf-8"],
    ["style.css", "text/css; charset=utf-8"],
    ["img/logo.png", "image/png"],
    ["img/icon.svg", "image/svg+xml"],
    ["archive.unknownext", "application/octet-stream"],
    ["LICENSE", "application/octet-stream"],
    ["json", "application/octet-stream"],
    [".gitignore", "application/octet-stream"],
    ["dir.md/noext", "application/octet-stream"],
  ])("%s → %s", (path, type) => {
    expect(contentTypeFor(path)).toBe(type);
  });
});
