import type { RepoConfig } from "../config/repo-config.js";
import type { GitHubReader } from "./github-reader.js";

/**
 * What keeps the schema files the collections name out of the mirror on `branch`: absent, or over
 * `mirror.maxFileBytes`. Writes read their schema from the mirror, so either would refuse every one
 * of them. (Excluded by the mirror's globs is checked with the rest of the file.) One call per schema.
 */
export async function schemaFileProblems(reader: Pick<GitHubReader, "fileSize">, config: RepoConfig, branch: string): Promise<string[]> {
  const sizes = new Map<string, Promise<number | null>>();
  const problems: string[] = [];
  for (const [name, collection] of Object.entries(config.collections)) {
    const schema = collection.schema;
    if (schema === undefined) continue;
    if (!sizes.has(schema)) sizes.set(schema, reader.fileSize(branch, schema));
    const size = await sizes.get(schema)!;
    const key = `collections.${name}.schema`;
    if (size === null) problems.push(`${key}: ${schema} is not a file on branch ${branch}`);
    else if (size > config.mirror.maxFileBytes) {
      problems.push(
        `${key}: ${schema} is ${size} bytes, over mirror.maxFileBytes (${config.mirror.maxFileBytes}), so the mirror would not hold it`,
      );
    }
  }
  return problems;
}
