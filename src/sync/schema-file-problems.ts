import type { RepoConfig } from "../config/repo-config.js";
import { ConfigError } from "../errors.js";
import { compileRecordSchema, schemaSizeProblem } from "../records/record-schemas.js";
import type { GitHubReader } from "./github-reader.js";

type SchemaReader = Pick<GitHubReader, "fileAt" | "getBlob">;

/** What is wrong with one schema file on `branch`, undefined when nothing is. */
async function schemaProblem(reader: SchemaReader, schema: string, branch: string, maxFileBytes: number): Promise<string | undefined> {
  const file = await reader.fileAt(branch, schema);
  if (file === null) return `${schema} is not a file on branch ${branch}`;
  if (file.size > maxFileBytes) {
    return `${schema} is ${file.size} bytes, over mirror.maxFileBytes (${maxFileBytes}), so the mirror would not hold it`;
  }
  // A schema too large to use is refused before its content is fetched (it may be megabytes).
  const tooLarge = schemaSizeProblem(schema, file.size);
  if (tooLarge) return tooLarge;
  try {
    compileRecordSchema(schema, file.content ?? (await reader.getBlob(file.sha)));
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/**
 * What keeps the schema files the collections name from checking records: absent on `branch`, over
 * `mirror.maxFileBytes` (writes read their schema from the mirror), or not a JSON Schema that compiles.
 * (Excluded by the mirror's globs is checked with the rest of the file.) One look per schema file.
 */
export async function schemaFileProblems(reader: SchemaReader, config: RepoConfig, branch: string): Promise<string[]> {
  const problems = new Map<string, Promise<string | undefined>>();
  const found: string[] = [];
  for (const [name, collection] of Object.entries(config.collections)) {
    const schema = collection.schema;
    if (schema === undefined) continue;
    if (!problems.has(schema)) problems.set(schema, schemaProblem(reader, schema, branch, config.mirror.maxFileBytes));
    const problem = await problems.get(schema)!;
    if (problem) found.push(`collections.${name}.schema: ${problem}`);
  }
  return found;
}
