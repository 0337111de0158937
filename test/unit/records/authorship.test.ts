import { ForbiddenError } from "../../../src/errors.js";
import { AUTHOR_FIELD, authorOf, stampAuthor, takeAuthorship } from "../../../src/records/authorship.js";

describe("authorship", () => {
  it("lives in the _author field", () => {
    expect(AUTHOR_FIELD).toBe("_author");
  });

  it("reads the author from a record's data, lower-cased; none when absent or not a login", () => {
    expect(authorOf({ _author: "Alice", text: "hi" })).toBe("alice");
    expect(authorOf({ text: "hi" })).toBeUndefined();
    expect(authorOf({ _author: 42 })).toBeUndefined();
    expect(authorOf({ _author: "../bob" })).toBeUndefined();
  });

  it("takes the author off a body: the acting user, which the body may repeat in any case", () => {
    expect(takeAuthorship({ text: "hi" }, "alice")).toEqual({ fields: { text: "hi" }, author: "alice" });
    expect(takeAuthorship({ text: "hi", _author: "ALICE" }, "alice")).toEqual({ fields: { text: "hi" }, author: "alice" });
    expect(takeAuthorship({ text: "hi" }, undefined)).toEqual({ fields: { text: "hi" }, author: undefined });
  });

  it("refuses a body that claims another author with a 403", () => {
    const claim = () => takeAuthorship({ text: "hi", _author: "bob" }, "alice");
    expect(claim).toThrow(ForbiddenError);
    expect(claim).toThrow('the body claims another author: "_author" is bob, but the write is made as alice');
    expect(() => takeAuthorship({ _author: 7 }, "alice")).toThrow('field "_author" must be a GitHub login');
  });

  it("keeps the author a body names when the write is made as nobody (a key naming no user)", () => {
    expect(takeAuthorship({ text: "hi", _author: "Bob" }, undefined)).toEqual({ fields: { text: "hi" }, author: "bob" });
  });

  it("stamps the author into the data, or nothing", () => {
    expect(stampAuthor({ text: "hi" }, "alice")).toEqual({ text: "hi", _author: "alice" });
    expect(stampAuthor({ text: "hi" }, undefined)).toEqual({ text: "hi" });
  });
});
