import { ConfigError, UnprocessableError } from "../../../src/errors.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { MAX_SCHEMA_BYTES, RecordSchemas } from "../../../src/records/record-schemas.js";
import type { FileBody } from "../../../src/store/store.js";

function schemaFile(schema: unknown): FileBody {
  const content = Buffer.from(typeof schema === "string" ? schema : JSON.stringify(schema));
  return { path: "schemas/message.json", content, sha: gitBlobSha(content), size: content.length };
}

const message = schemaFile({
  type: "object",
  required: ["text"],
  additionalProperties: false,
  properties: { text: { type: "string", maxLength: 10 }, email: { type: "string", format: "email" } },
});

describe("RecordSchemas", () => {
  it("accepts valid records and lists every violation with the validator's messages", () => {
    const schemas = new RecordSchemas();
    expect(() => schemas.check("schemas/message.json", message, { text: "hi", email: "a@example.com" })).not.toThrow();
    let error: unknown;
    try {
      schemas.check("schemas/message.json", message, { text: "far too long text", email: "nope", extra: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnprocessableError);
    const messages = (error as UnprocessableError).context.messages as string[];
    expect(messages).toEqual(
      expect.arrayContaining([
        "/ must NOT have additional properties",
        "/text must NOT have more than 10 characters",
        '/email must match format "email"',
      ]),
    );
  });

  it("honours the draft a schema declares", () => {
    const schemas = new RecordSchemas();
    // `items: false` after `prefixItems` allows exactly one item in 2020-12, and none at all in draft-07.
    const tags = { type: "object", properties: { tags: { type: "array", prefixItems: [{ type: "string" }], items: false } } };
    const draft2020 = schemaFile({ $schema: "https://json-schema.org/draft/2020-12/schema", ...tags });
    expect(() => schemas.check("a.json", draft2020, { tags: ["a"] })).not.toThrow();
    expect(() => schemas.check("a.json", draft2020, { tags: ["a", "b"] })).toThrow(UnprocessableError);
    expect(() => schemas.check("b.json", schemaFile(tags), { tags: ["a"] })).toThrow(UnprocessableError);
  });

  it("treats a missing or broken schema file as a configuration error", () => {
    const schemas = new RecordSchemas();
    expect(() => schemas.check("schemas/none.json", null, {})).toThrow(ConfigError);
    expect(() => schemas.check("s.json", schemaFile("{"), {})).toThrow(/not valid JSON/);
    expect(() => schemas.check("s.json", schemaFile("[]"), {})).toThrow(/JSON object/);
    expect(() => schemas.check("s.json", schemaFile({ type: "no-such-type" }), {})).toThrow(/does not compile/);
  });

  it("recompiles only when the schema file's content changes", () => {
    const schemas = new RecordSchemas();
    const loose = schemaFile({ type: "object" });
    const strict = schemaFile({ type: "object", required: ["a"] });
    expect(() => schemas.check("s.json", loose, {})).not.toThrow();
    expect(() => schemas.check("s.json", strict, {})).toThrow(UnprocessableError);
    expect(() => schemas.check("s.json", loose, {})).not.toThrow();
  });
  it("matches patterns in time linear in the field, so a backtracking pattern cannot stall the process", () => {
    const schemas = new RecordSchemas();
    const slugs = schemaFile({ type: "object", properties: { slug: { type: "string", pattern: "^(a+)+$" } } });
    expect(() => schemas.check("schemas/slug.json", slugs, { slug: "aaaa" })).not.toThrow();
    // 10,000 characters: JavaScript's engine takes seconds from about 30.
    expect(() => schemas.check("schemas/slug.json", slugs, { slug: `${"a".repeat(10_000)}!` })).toThrow(UnprocessableError);
    const keys = schemaFile({ type: "object", patternProperties: { "^x-[a-z]+$": { type: "number" } } });
    expect(() => schemas.check("schemas/keys.json", keys, { "x-size": "big" })).toThrow(UnprocessableError);
    const anyCase = schemaFile({ type: "object", properties: { tag: { type: "string", pattern: "(?i)^ok$" } } });
    expect(() => schemas.check("schemas/tag.json", anyCase, { tag: "OK" })).not.toThrow();
  });

  it("refuses patterns linear matching cannot run (lookarounds, backreferences) as the schema's config problem", () => {
    const lookahead = schemaFile({ type: "object", properties: { a: { type: "string", pattern: "^(?=x)" } } });
    expect(() => new RecordSchemas().check("schemas/a.json", lookahead, { a: "x" })).toThrow(ConfigError);
    expect(() => new RecordSchemas().check("schemas/a.json", lookahead, { a: "x" })).toThrow(/does not compile/);
  });

  it("refuses a schema over 256 KiB as the schema's config problem", () => {
    const properties = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field${i}`, { type: "string" }]));
    const huge = schemaFile({ type: "object", properties });
    expect(huge.content.length).toBeGreaterThan(MAX_SCHEMA_BYTES);
    expect(() => new RecordSchemas().check("schemas/huge.json", huge, {})).toThrow(ConfigError);
    expect(() => new RecordSchemas().check("schemas/huge.json", huge, {})).toThrow(`a schema may be at most ${MAX_SCHEMA_BYTES}`);
  });
});
