import { parseQuery } from "../../../src/api/parse-query.js";
import { BadRequestError } from "../../../src/errors.js";

describe("parseQuery", () => {
  it("decodes names and values, '+' as a space, and lets the last repeat win", () => {
    const query = parseQuery("prefix=dir%2Fsub%20x/&flag&a=1&a=2&q=a+b&&");
    expect([...query]).toEqual([
      ["prefix", "dir/sub x/"],
      ["flag", ""],
      ["a", "2"],
      ["q", "a b"],
    ]);
  });

  it("is empty for an empty query string", () => {
    expect(parseQuery("").size).toBe(0);
  });

  it("refuses invalid percent-encoding instead of replacing it", () => {
    expect(() => parseQuery("prefix=%zz")).toThrow(BadRequestError);
    expect(() => parseQuery("%C3=x")).toThrow(/percent-encoding/);
  });
});
