import { BadRequestError } from "../../../src/errors.js";
import { parseRecord, serializeRecord } from "../../../src/records/record-format.js";
import { recordIdOf, recordPath } from "../../../src/records/record-path.js";
import { stableJson } from "../../../src/records/stable-json.js";

describe("stableJson", () => {
  it("sorts keys at every level, indents by two and ends with a newline", () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it("keeps a __proto__ key as data", () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    expect(stableJson(data)).toBe('{\n  "__proto__": {\n    "polluted": true\n  },\n  "a": 1\n}\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("serializeRecord / parseRecord", () => {
  it("round-trips JSON records with the same bytes for the same data", () => {
    const a = serializeRecord("json", { text: "hi", at: 1 });
    expect(a.equals(serializeRecord(undefined, { at: 1, text: "hi" }))).toBe(true);
    expect(parseRecord("json", a)).toEqual({ ok: true, data: { at: 1, text: "hi" } });
  });

  it("writes Markdown with the other fields as sorted YAML front matter", () => {
    const file = serializeRecord("markdown", { title: "Hello", tags: ["a"], body: "# Hi\n\ntext\n" });
    expect(file.toString()).toBe("---\ntags:\n  - a\ntitle: Hello\n---\n# Hi\n\ntext\n");
    expect(parseRecord("markdown", file)).toEqual({ ok: true, data: { title: "Hello", tags: ["a"], body: "# Hi\n\ntext\n" } });
    expect(serializeRecord("markdown", { body: "only" }).toString()).toBe("only");
    expect(parseRecord("markdown", Buffer.from("---\n---\nx"))).toEqual({ ok: true, data: { body: "x" } });
  });

  it("refuses a Markdown body that is not a string", () => {
    expect(() => serializeRecord("markdown", { body: 3 })).toThrow(BadRequestError);
  });

  it("reports files that do not parse instead of throwing", () => {
    expect(parseRecord("json", Buffer.from("[1]"))).toMatchObject({ ok: false });
    expect(parseRecord("json", Buffer.from("{"))).toMatchObject({ ok: false });
    expect(parseRecord("markdown", Buffer.from("---\na: 1\nno end"))).toMatchObject({ ok: false, problem: expect.stringMatching(/not closed/) });
    expect(parseRecord("markdown", Buffer.from("---\n- a\n---\nx"))).toMatchObject({ ok: false, problem: expect.stringMatching(/mapping/) });
  });
});

describe("recordPath / recordIdOf", () => {
  it("maps ids to files and back, only for the collection's own files", () => {
    const likes = { path: "data/likes" };
    const posts = { path: "content/posts", format: "markdown" as const };
    expect(recordPath(likes, "post-1/alice")).toBe("data/likes/post-1/alice.json");
    expect(recordPath(posts, "hello")).toBe("content/posts/hello.md");
    expect(recordIdOf(likes, "data/likes/post-1/alice.json")).toBe("post-1/alice");
    expect(recordIdOf(likes, "data/likes/README.md")).toBeUndefined();
    expect(recordIdOf(likes, "data/likesx/a.json")).toBeUndefined();
    expect(recordIdOf(posts, "content/posts/hello.md")).toBe("hello");
  });
});
