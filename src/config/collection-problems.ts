import { ConfigError } from "../errors.js";
import { isUnderDotGithub, pathProblem } from "../paths.js";
import { compileIdTemplate } from "../records/id-template.js";
import { collectionExcludedBy } from "./collection-excluded-by.js";
import { mirrorRuleExcluding } from "./mirror-rule-excluding.js";
import type { CollectionConfig, RepoConfig } from "./repo-config.js";

function templateProblem(template: string): string | undefined {
  try {
    compileIdTemplate(template);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

function schemaProblem(schema: string, mirror: RepoConfig["mirror"]): string | undefined {
  const unsafe = pathProblem(schema);
  if (unsafe) return unsafe;
  const rule = mirrorRuleExcluding(mirror, schema);
  return rule && `${schema} is left out of the mirror by ${rule}, so no record could be checked against it`;
}

/**
 * What is wrong with a collection the file declares, each problem naming its key: a folder outside
 * the repository or the mirror, an id template that cannot work, a schema the mirror would not hold.
 */
export function collectionProblems(name: string, collection: CollectionConfig, mirror: RepoConfig["mirror"]): string[] {
  const key = `collections.${name}`;
  const problems: string[] = [];
  const folderProblem = pathProblem(collection.path) ?? (isUnderDotGithub(collection.path) ? "may not be under .github/" : undefined);
  if (folderProblem) problems.push(`${key}.path: ${folderProblem}`);
  const template = templateProblem(collection.id);
  if (template) problems.push(`${key}.id: ${template}`);
  if (!folderProblem && !template) {
    const rule = collectionExcludedBy(mirror, collection);
    if (rule)
      problems.push(
        `${key}: its records in ${collection.path}/ are left out of the mirror by ${rule}, so writes would never show in reads`,
      );
  }
  const schema = collection.schema === undefined ? undefined : schemaProblem(collection.schema, mirror);
  if (schema) problems.push(`${key}.schema: ${schema}`);
  return problems;
}
