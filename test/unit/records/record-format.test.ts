import { BadRequestError, PayloadTooLargeError } from "../../../src/errors.js";
import { parseRecord, serializeRecord } from "../../../src/records/record-format.js";
import { recordIdOf, recordPath } from "../../../src/records/record-path.js";
import { stableJson } from "../../../src/records/stable-json.js";
import { type Random, seededRandom } from "../../helpers/seeded-random.js";

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// Strings that have broken front matter, YAML or JSON somewhere: markers, quotes, escapes, odd Unicode.
const TRICKY_TEXT = [
  "",
  "---",
  "---\n",
  "\n---\n",
  "---\nisAdmin: true\n---\n",
  "...",
  "\n...\n",
  "# title",
  "a: b",
  "- a",
  "[1]",
  "{a: 1}",
  "'",
  '"',
  "\\",
  "#",
  "&anchor",
  "*alias",
  "!!str",
  "%YAML 1.2",
  "|",
  ">",
  "@",
  "`",
  "yes",
  "no",
  "null",
  "~",
  "0x10",
  "1e3",
  "-0",
  " lead",
  "trail ",
  "\t",
  "\r\n",
  "\r",
  "\u2028",
  "\u0085",
  "\u0000",
  "\ufeff",
  "é",
  "日本",
  "😀",
  "\ud800",
  "<!-- -->",
  "__proto__",
  "constructor",
];

function randomText(random: Random): string {
  return Array.from({ length: Math.floor(random() * 4) }, () => pick(random, TRICKY_TEXT)).join(pick(random, ["", "\n", " "]));
}

function randomValue(random: Random, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 3 ? 5 : 7));
  if (kind === 0) return null;
  if (kind === 1) return random() < 0.5;
  if (kind === 2) return pick(random, [0, -1, 1.5, 1e21, -5e-324, Number.MAX_SAFE_INTEGER, 2 ** 64, 123456789.125]);
  if (kind <= 4) return randomText(random);
  if (kind === 5) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  return randomFields(random, depth + 1);
}

function randomFields(random: Random, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let count = Math.floor(random() * 4); count > 0; count--) {
    Object.defineProperty(fields, randomText(random) || "k", {
      value: randomValue(random, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return fields;
}

// The former implementation: what stableJson's bytes must stay equal to, so records keep their blob shas.
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

describe("stableJson", () => {
  it("sorts keys at every level, indents by two and ends with a newline", () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it("writes the bytes of JSON.stringify with sorted keys and an indent of two, for any JSON data", () => {
    const random = seededRandom(20261207);
    for (let round = 0; round < 500; round++) {
      const value = randomValue(random, 0);
      expect(stableJson(value)).toBe(`${JSON.stringify(sortKeys(value), null, 2)}\n`);
    }
  });

  it("stops with a 413 as soon as the text passes its budget, counting UTF-8 bytes", () => {
    expect(stableJson({ a: "é" }, 16)).toBe('{\n  "a": "é"\n}\n');
    expect(() => stableJson({ a: "é" }, 15)).toThrow(PayloadTooLargeError);
    // 40 KB of arrays nested 32 deep would be a file of over 1.3 MB; it is refused at the budget.
    const nested = `${"[".repeat(31)}${"0,".repeat(20_000)}0${"]".repeat(31)}`;
    expect(nested.length).toBeLessThan(41_000);
    expect(() => stableJson({ a: JSON.parse(nested) }, 100_000)).toThrow(/the record's file would be over 100000 bytes/);
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
    expect(serializeRecord("markdown", { body: "only" }).toString()).toBe("---\n---\nonly");
    expect(parseRecord("markdown", Buffer.from("---\n---\nx"))).toEqual({ ok: true, data: { body: "x" } });
    expect(parseRecord("markdown", Buffer.from("no front matter"))).toEqual({ ok: true, data: { body: "no front matter" } });
  });

  it("keeps a body that starts with --- as body: it cannot add front matter", () => {
    const body = "---\nlayout: admin\npermalink: /admin/\nisAdmin: true\n---\nhello";
    const file = serializeRecord("markdown", { body });
    expect(file.toString()).toBe(`---\n---\n${body}`);
    expect(parseRecord("markdown", file)).toEqual({ ok: true, data: { body } });
  });

  it("writes every value of the front matter on one line, so none can close it", () => {
    const file = serializeRecord("markdown", { title: "a\n---\nisAdmin: true\n", body: "text" }).toString();
    expect(file).toBe('---\ntitle: "a\\n---\\nisAdmin: true\\n"\n---\ntext');
  });

  it("reads back exactly what it wrote, for tricky fields and bodies (seeded round trips)", () => {
    const random = seededRandom(7);
    let refused = 0;
    for (let round = 0; round < 1_000; round++) {
      const record = { ...randomFields(random, 0), body: randomText(random) };
      let file: Buffer;
      try {
        file = serializeRecord("markdown", record);
      } catch (error) {
        // Only text a Markdown file cannot hold as it is (a lone surrogate, a byte order mark) is refused, with a 400.
        expect(error).toBeInstanceOf(BadRequestError);
        expect(JSON.stringify(record)).toMatch(/\\ud800|\ufeff/);
        refused++;
        continue;
      }
      expect(parseRecord("markdown", file)).toEqual({ ok: true, data: record });
    }
    expect(refused).toBeLessThan(50);
  });

  it("refuses a Markdown record over its budget with a 413, the front matter measured before YAML is written", () => {
    const nested = JSON.parse(`${"[".repeat(31)}${"0,".repeat(20_000)}0${"]".repeat(31)}`) as unknown;
    expect(() => serializeRecord("markdown", { deep: nested, body: "" }, 100_000)).toThrow(PayloadTooLargeError);
    expect(() => serializeRecord("markdown", { title: "x", body: "y".repeat(100) }, 100)).toThrow(PayloadTooLargeError);
    expect(serializeRecord("markdown", { title: "x", body: "y".repeat(80) }, 100)).toHaveLength(97);
  });

  it("keeps __proto__, constructor and prototype keys of front matter as data, never as prototypes", () => {
    const parsed = parseRecord(
      "markdown",
      Buffer.from("---\n__proto__:\n  isAdmin: true\nconstructor:\n  prototype:\n    polluted: true\n---\nx"),
    );
    expect(parsed.ok).toBe(true);
    const data = (parsed as { data: Record<string, unknown> }).data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(data.isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const record = JSON.parse('{"__proto__": {"isAdmin": true}, "body": "b"}') as Record<string, unknown>;
    const file = serializeRecord("markdown", record);
    expect(file.toString()).toBe("---\n__proto__:\n  isAdmin: true\n---\nb");
    expect(parseRecord("markdown", file)).toEqual({ ok: true, data: record });
  });

  it("refuses front matter that is a YAML alias bomb, as a file that does not parse", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++)
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(", ")}]`,
      );
    const started = performance.now();
    const parsed = parseRecord("markdown", Buffer.from(`---\n${levels.join("\n")}\n---\nboom`));
    expect(parsed).toMatchObject({ ok: false, problem: expect.stringMatching(/alias/i) });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("refuses a Markdown body that is not a string, and text YAML would not read back the same", () => {
    expect(() => serializeRecord("markdown", { body: 3 })).toThrow(BadRequestError);
    expect(() => serializeRecord("markdown", { "\ufeff": true, body: "" })).toThrow(/would not read back the same/);
  });

  it("reports files that do not parse instead of throwing", () => {
    expect(parseRecord("json", Buffer.from("[1]"))).toMatchObject({ ok: false });
    expect(parseRecord("json", Buffer.from("{"))).toMatchObject({ ok: false });
    expect(parseRecord("markdown", Buffer.from("---\na: 1\nno end"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not closed/),
    });
    expect(parseRecord("markdown", Buffer.from("---\n- a\n---\nx"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/mapping/),
    });
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
