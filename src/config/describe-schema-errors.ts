import type { ErrorObject } from "ajv";
import { closestWord } from "./closest-word.js";
import { COLLECTION_NAME_RULE, PATTERN_MEANINGS } from "./repo-config-schema.js";

const TYPE_WORDS: Record<string, string> = {
  array: "a list",
  object: "a mapping of keys",
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

/** An error's place in the file in the owner's words: `collections.likes.write`, `mirror.include[0]`. */
function keyPath(instancePath: string, key?: string): string {
  const segments = instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (key !== undefined) segments.push(key);
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    const word = /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
    return path === "" ? word : `${path}.${word}`;
  }, "");
}

function unknownKey(error: ErrorObject): string {
  const key = String(error.params.additionalProperty);
  const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  const suggestion = closestWord(key, known);
  return `${keyPath(error.instancePath, key)}: unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`;
}

function describe(error: ErrorObject): string | undefined {
  const at = keyPath(error.instancePath) || "the file";
  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(error);
    case "required":
      return `${keyPath(error.instancePath, String(error.params.missingProperty))}: missing (required)`;
    case "propertyNames":
      return `${keyPath(error.instancePath, String(error.params.propertyName))}: a collection name must be ${COLLECTION_NAME_RULE} characters`;
    case "type":
      return `${at}: must be ${TYPE_WORDS[String(error.params.type)] ?? String(error.params.type)}`;
    case "enum":
      return `${at}: must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    case "const":
      return `${at}: must be a collection (path, id, write, …) or false to turn a default collection off`;
    case "pattern":
      return `${at}: ${PATTERN_MEANINGS[String(error.params.pattern)] ?? error.message ?? "is invalid"}`;
    case "if":
      return undefined; // the failing branch's own errors say what is wrong
    default:
      return `${at}: ${error.message ?? "is invalid"}`;
  }
}

/**
 * Ajv's errors for `.github/gitdisk.yml` in plain words, one per problem, each naming the key it is
 * about. The inner errors of a refused collection name are left out: the name's own error says it.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  return errors
    .filter((error) => !("propertyName" in error))
    .map(describe)
    .filter((problem): problem is string => problem !== undefined);
}
