import { BadRequestError, ConfigError } from "../../../src/errors.js";
import { assertWritableId, buildRecordId, compileIdTemplate, matchRecordId } from "../../../src/records/id-template.js";
import { normalizeLogin } from "../../../src/records/normalize-login.js";

const ULID = "01JD5ZQ8X6T3V4W5Y6Z7A8B9CD";
const values = (data: Record<string, unknown> = {}) => ({ user: "alice", data, newUlid: () => ULID });

describe("normalizeLogin", () => {
  it("lower-cases GitHub logins and refuses anything else", () => {
    expect(normalizeLogin("Alice-Smith")).toBe("alice-smith");
    for (const bad of [undefined, "", "-alice", "alice-", "a--b", "a_b", "a/b", "x".repeat(40), "../x"]) {
      expect(() => normalizeLogin(bad)).toThrow(BadRequestError);
    }
  });
});

describe("buildRecordId", () => {
  it("fills {user}, {ulid} and record fields", () => {
    expect(buildRecordId(compileIdTemplate("{user}"), values())).toBe("alice");
    expect(buildRecordId(compileIdTemplate("{ulid}"), values())).toBe(ULID);
    expect(buildRecordId(compileIdTemplate("{doc}/{user}"), values({ doc: "post-1" }))).toBe("post-1/alice");
    expect(buildRecordId(compileIdTemplate("year-{year}/{slug}"), values({ year: 2026, slug: "hello" }))).toBe("year-2026/hello");
  });

  it("refuses missing or non-scalar fields", () => {
    const template = compileIdTemplate("{doc}/{user}");
    for (const doc of [undefined, "", null, true, { a: 1 }, ["a"], Number.NaN]) {
      expect(() => buildRecordId(template, values({ doc }))).toThrow(/field "doc"/);
    }
  });

  it.each([
    ["a/b", /may not contain "\/"/],
    ["..", /'\.' or '\.\.'/],
    [".", /'\.' or '\.\.'/],
    [".git", /\.git/],
    [".GitHub", /\.github/],
    ["a\u0000b", /control character/],
    ["a\nb", /control character/],
    ["é".repeat(128), /255 bytes/],
  ])("refuses the field value %j", (doc, message) => {
    expect(() => buildRecordId(compileIdTemplate("{doc}/{user}"), values({ doc }))).toThrow(message);
  });

  it("refuses ids over 255 bytes, also when each of their segments is shorter", () => {
    const template = compileIdTemplate("{doc}/{user}");
    expect(buildRecordId(template, values({ doc: "a".repeat(249) }))).toHaveLength(255);
    expect(() => buildRecordId(template, values({ doc: "a".repeat(250) }))).toThrow(/id is longer than 255 bytes/);
    expect(() => assertWritableId(`${"é".repeat(125)}/alice`)).toThrow(/id is longer than 255 bytes/);
    // A longer record already in the repository (named by hand) can still be read and deleted.
    expect(matchRecordId(template, `${"é".repeat(125)}/alice`).id).toBe(`${"é".repeat(125)}/alice`);
  });

  it.each(["a\u0085b", "a\ud800b"])("refuses the field value %j (a C1 control, a lone surrogate), also in a URL's id", (doc) => {
    expect(() => buildRecordId(compileIdTemplate("{doc}/{user}"), values({ doc }))).toThrow(BadRequestError);
    expect(() => matchRecordId(compileIdTemplate("{doc}/{user}"), `${doc}/alice`)).toThrow(BadRequestError);
  });

  it("refuses an absolute path where the template starts with a field", () => {
    expect(() => buildRecordId(compileIdTemplate("{doc}"), values({ doc: "/etc" }))).toThrow(BadRequestError);
  });

  it("rejects templates that are ambiguous or malformed as configuration errors", () => {
    expect(() => compileIdTemplate("{a}{b}")).toThrow(ConfigError);
    expect(() => compileIdTemplate("a//b")).toThrow(ConfigError);
  });
});

describe("matchRecordId", () => {
  it("accepts ids of the template's shape and returns the canonical id with its fields", () => {
    expect(matchRecordId(compileIdTemplate("{doc}/{user}"), "post-1/Alice")).toEqual({ id: "post-1/alice", fields: { doc: "post-1", user: "alice" } });
    expect(matchRecordId(compileIdTemplate("year-{year}/{slug}"), "year-2026/x")).toEqual({ id: "year-2026/x", fields: { year: "2026", slug: "x" } });
    expect(matchRecordId(compileIdTemplate("{ulid}"), ULID).id).toBe(ULID);
  });

  it.each([
    ["{doc}/{user}", "post-1"],
    ["{doc}/{user}", "a/b/alice"],
    ["{doc}/{user}", "post-1/not_a_login"],
    ["{ulid}", "not-a-ulid"],
    ["year-{year}/{slug}", "2026/x"],
    ["{user}", "../alice"],
    ["{user}", "/alice"],
    ["{doc}", ".github"],
    ["{user}/{user}", "alice/bob"],
  ])("refuses %s ids like %j", (template, id) => {
    expect(() => matchRecordId(compileIdTemplate(template), id)).toThrow(BadRequestError);
  });
});
