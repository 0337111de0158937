import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../../src/config/repo-config.js";
import { MAX_SCHEMA_BYTES } from "../../../src/records/record-schemas.js";
import type { RepoFile } from "../../../src/sync/github-reader.js";
import { schemaFileProblems } from "../../../src/sync/schema-file-problems.js";

const VALID = Buffer.from('{ "type": "object" }');

/** A branch of files, answering as the contents API does: bytes inline, or (`byBlob`) only by blob sha. */
function branchOf(files: Record<string, { content: Buffer; byBlob?: boolean }>) {
  const looks: string[] = [];
  const reader = {
    async fileAt(_ref: string, path: string): Promise<RepoFile | null> {
      looks.push(path);
      const file = files[path];
      return file ? { size: file.content.length, sha: `sha-of-${path}`, content: file.byBlob ? null : file.content } : null;
    },
    async getBlob(sha: string): Promise<Buffer> {
      const path = sha.replace(/^sha-of-/, "");
      looks.push(`blob ${path}`);
      return files[path]!.content;
    },
  };
  return { reader, looks };
}

function configNaming(schemas: Record<string, string>, maxFileBytes = 1000): RepoConfig {
  const collections = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, { path: `data/${name}`, id: "{ulid}", write: "user" as const, schema }]),
  );
  return { ...DEFAULT_REPO_CONFIG, mirror: { ...DEFAULT_REPO_CONFIG.mirror, maxFileBytes }, collections };
}

describe("schemaFileProblems", () => {
  it("finds nothing wrong with schemas that are on the branch, small enough and compile", async () => {
    const { reader } = branchOf({ "s/a.json": { content: VALID } });
    expect(await schemaFileProblems(reader, configNaming({ posts: "s/a.json" }), "main")).toEqual([]);
  });

  it("refuses a schema over 256 KiB from its size, without fetching its content", async () => {
    const { reader, looks } = branchOf({ "s/huge.json": { content: Buffer.alloc(MAX_SCHEMA_BYTES + 1, " "), byBlob: true } });
    expect(await schemaFileProblems(reader, configNaming({ posts: "s/huge.json" }, 10 * 1024 * 1024), "main")).toEqual([
      `collections.posts.schema: the schema s/huge.json is ${MAX_SCHEMA_BYTES + 1} bytes; a schema may be at most ${MAX_SCHEMA_BYTES}`,
    ]);
    expect(looks).toEqual(["s/huge.json"]);
  });

  it("names an absent schema and one too big to mirror, each by its collection's key", async () => {
    const { reader } = branchOf({ "s/big.json": { content: Buffer.alloc(2000, " ") } });
    expect(await schemaFileProblems(reader, configNaming({ posts: "s/none.json", pages: "s/big.json" }), "main")).toEqual([
      "collections.posts.schema: s/none.json is not a file on branch main",
      "collections.pages.schema: s/big.json is 2000 bytes, over mirror.maxFileBytes (1000), so the mirror would not hold it",
    ]);
  });

  it.each([
    ["not JSON", "{ nope", /^collections\.posts\.schema: the schema s\/a\.json is not valid JSON: /],
    ["not an object", "[]", /^collections\.posts\.schema: the schema s\/a\.json must be a JSON object$/],
    ["not a JSON Schema that compiles", '{ "type": 12 }', /^collections\.posts\.schema: the schema s\/a\.json does not compile: /],
  ])("names a schema that is %s", async (_case, content, problem) => {
    const { reader } = branchOf({ "s/a.json": { content: Buffer.from(content) } });
    const problems = await schemaFileProblems(reader, configNaming({ posts: "s/a.json" }), "main");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it("reads a schema GitHub does not send inline by its blob, and each schema file once however many collections share it", async () => {
    const { reader, looks } = branchOf({ "s/shared.json": { content: Buffer.from('{ "type": 12 }'), byBlob: true } });
    const problems = await schemaFileProblems(reader, configNaming({ posts: "s/shared.json", pages: "s/shared.json" }), "main");
    expect(problems.map((problem) => problem.split(":")[0])).toEqual(["collections.posts.schema", "collections.pages.schema"]);
    expect(looks).toEqual(["s/shared.json", "blob s/shared.json"]);
  });
});
