import { BadRequestError, ConfigError } from "../../../src/errors.js";
import { buildRecordId, compileIdTemplate, matchRecordId } from "../../../src/records/id-template.js";
import { normalizeLogin } from "../../../src/records/normalize-login.js";
import { assertSafeId, assertWritableId } from "../../../src/records/record-id-safety.js";

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
    ["git~1", /\.git/],
    [".git\u200c", /\.git/],
    [".github\u200d", /\.github/],
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

  it.each([
    ["{doc}{user}", /\{doc\} and \{user\} need text between them/],
    ["x/{doc}{user}-v1", /\{doc\} and \{user\} need text between them/],
    ["{doc", /brace that is not part of a \{placeholder\}/],
    ["post-}{slug}", /brace that is not part of a \{placeholder\}/],
    ["{__proto__}", /cannot name a field/],
    ["a//b", /a segment is empty/],
    // Templates whose own text makes every id they build one a write refuses.
    [".git/{user}", /every id it builds would be refused \(invalid record id: path may not touch \.git\)/],
    [".github/{user}", /every id it builds would be refused .*\.github/],
    ["{user}/..", /every id it builds would be refused .*'\.\.'/],
    ["{user}.", /every id it builds would be refused/],
    ["a|b/{user}", /every id it builds would be refused .*Windows/],
    ["con/{user}", /every id it builds would be refused/],
  ])("refuses the template %s with a ConfigError saying why", (template, reason) => {
    expect(() => compileIdTemplate(template)).toThrow(ConfigError);
    expect(() => compileIdTemplate(template)).toThrow(reason);
  });

  it("refuses a field value holding the character its template puts right after it, which the id could not be read back with", () => {
    const template = compileIdTemplate("{y}-{m}-{slug}.v1");
    expect(buildRecordId(template, values({ y: 2026, m: 12, slug: "my-post" }))).toBe("2026-12-my-post.v1");
    expect(() => buildRecordId(template, values({ y: "20-26", m: 12, slug: "x" }))).toThrow(/field "y" may not contain "-"/);
    expect(() => buildRecordId(template, values({ y: 2026, m: 12, slug: "a.b" }))).toThrow(/field "slug" may not contain "\."/);
  });
});

describe("matchRecordId", () => {
  it("accepts ids of the template's shape and returns the canonical id with its fields", () => {
    expect(matchRecordId(compileIdTemplate("{doc}/{user}"), "post-1/Alice")).toEqual({
      id: "post-1/alice",
      fields: { doc: "post-1", user: "alice" },
    });
    expect(matchRecordId(compileIdTemplate("year-{year}/{slug}"), "year-2026/x")).toEqual({
      id: "year-2026/x",
      fields: { year: "2026", slug: "x" },
    });
    expect(matchRecordId(compileIdTemplate("{ulid}"), ULID).id).toBe(ULID);
  });

  it("reads a field up to the first character of the text after it, and the last one to the segment's end", () => {
    const template = compileIdTemplate("{y}-{m}-{d}-{h}-{n}-{slug}.v1");
    expect(matchRecordId(template, "2026-12-07-10-5-my-post.v1").fields).toEqual({
      y: "2026",
      m: "12",
      d: "07",
      h: "10",
      n: "5",
      slug: "my-post",
    });
    expect(matchRecordId(compileIdTemplate("{slug}-{n}"), "my-post-2").fields).toEqual({ slug: "my", n: "post-2" });
    for (const id of ["2026-12-07-10-5-a.b.v1", "2026-12-07-10-5-my-post", "2026-12-07-10--x.v1", "2026-12-07-10-5-.v1"]) {
      expect(() => matchRecordId(template, id)).toThrow(/does not fit the template/);
    }
  });

  it.each([
    ["180 characters", "-".repeat(180)],
    ["180 characters, almost fitting", `${"1-".repeat(89)}.v`],
    ["8 KB", "-".repeat(8192)],
    ["8 KB in segments", `${"-".repeat(200)}/`.repeat(40)],
  ])("matches an id of %s in linear time, without backtracking", (_what, id) => {
    const template = compileIdTemplate("{y}-{m}-{d}-{h}-{n}-{slug}.v1");
    // The best of three runs, so a busy machine's pause is not taken for the cost of matching.
    const times = [1, 2, 3].map(() => {
      const started = performance.now();
      expect(() => matchRecordId(template, id)).toThrow(BadRequestError);
      return performance.now() - started;
    });
    expect(Math.min(...times)).toBeLessThan(50);
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

describe("ids a checkout cannot hold", () => {
  it.each([
    ["a bidi override", "post\u202e1", /bidirectional control/],
    ["a bidi isolate", "\u2066post\u2069", /bidirectional control/],
    ["a right-to-left mark", "post\u200f", /bidirectional control/],
    ["a trailing dot", "post.", /ends in a dot or a space/],
    ["a trailing space", "post ", /ends in a dot or a space/],
    ["only spaces", "   ", /only whitespace/],
    ["only Unicode whitespace", "\u3000\u00a0", /only whitespace/],
    ["a device name", "CON", /Windows device name/],
    ["a device name in lower case", "nul", /Windows device name/],
    ["a numbered device name", "com7", /Windows device name/],
    ["a device name with a superscript digit", "LPT\u00b2", /Windows device name/],
    ["a device name with an extension", "Lpt1.txt", /Windows device name/],
    ["a device name with two extensions", "aux.tar.gz", /Windows device name/],
    ["a device name, a space and an extension", "nul .txt", /Windows device name/],
    ["the console input device", "CONIN$", /Windows device name/],
    ["the console output device", "conout$.log", /Windows device name/],
    ...[...'<>:"|?*'].map((character): [string, string, RegExp] => [`"${character}"`, `a${character}b`, /character Windows forbids/]),
  ] as Array<[string, string, RegExp]>)("refuses %s (%j) in a written id, in any segment, and keeps it readable", (_what, name, reason) => {
    expect(() => buildRecordId(compileIdTemplate("{doc}/{user}"), values({ doc: name }))).toThrow(reason);
    expect(() => assertWritableId(`${name}/alice`)).toThrow(BadRequestError);
    expect(() => assertWritableId(`post-1/${name}`)).toThrow(reason);
    // A record made by hand under such a name can still be read and deleted.
    expect(assertSafeId(`${name}/alice`)).toBe(`${name}/alice`);
  });

  it.each(["console", "com10", "nul-1", "lpt", "a.b", "post-1", "ÉtÉ", "日本"])("accepts the ordinary name %j", (name) => {
    expect(assertWritableId(`${name}/alice`)).toBe(`${name}/alice`);
  });
});
