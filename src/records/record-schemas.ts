import { Ajv, type AnySchema, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { RE2JS } from "re2js";
import { ConfigError, messageOf, UnprocessableError } from "../errors.js";
import type { RecordData } from "./record-format.js";

/** Compiled validators kept; a repository has a handful of schemas, each recompiled only when its file changes. */
const MAX_CACHED = 200;
const MAX_MESSAGES = 20;
/**
 * A schema checks a record of a few kilobytes: 256 KiB is room for thousands of properties. Far larger
 * ones (megabytes of generated properties) took tens of seconds to compile and then overflowed the
 * stack when validating, stalling every repository meanwhile.
 */
export const MAX_SCHEMA_BYTES = 256 * 1024;

/** A schema file as the mirror holds it; its blob sha keys the compiled validator. */
export interface SchemaFile {
  content: Buffer;
  sha: string;
}

/**
 * Validates records against the JSON Schema files their collections name. A schema is compiled once
 * per blob sha (compiling costs milliseconds, validating microseconds), with the draft its `$schema`
 * declares (draft-07 when none) and the standard formats (email, uri, date-time, …).
 */
export class RecordSchemas {
  readonly #compiled = new Map<string, ValidateFunction>();

  /** Throws 422 listing the validator's messages when `data` does not satisfy the schema file. */
  check(schemaPath: string, file: SchemaFile | null, data: RecordData): void {
    const validate = this.#validatorFor(schemaPath, file);
    if (validate(data)) return;
    const messages = (validate.errors ?? []).slice(0, MAX_MESSAGES).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    throw new UnprocessableError(`the record does not match ${schemaPath}: ${messages.join("; ")}`, { schema: schemaPath, messages });
  }

  #validatorFor(schemaPath: string, file: SchemaFile | null): ValidateFunction {
    if (!file)
      throw new ConfigError(`the schema ${schemaPath} named in .github/gitdisk.yml is not in the repository`, { schema: schemaPath });
    const cached = this.#compiled.get(file.sha);
    if (cached) return cached;
    const validate = compileRecordSchema(schemaPath, file.content);
    if (this.#compiled.size >= MAX_CACHED) this.#compiled.delete(this.#compiled.keys().next().value!);
    this.#compiled.set(file.sha, validate);
    return validate;
  }
}

/** Why a schema file of `bytes` cannot be used, if it is too large to; known from its size alone, before its content is fetched. */
export function schemaSizeProblem(schemaPath: string, bytes: number): string | undefined {
  return bytes > MAX_SCHEMA_BYTES ? `the schema ${schemaPath} is ${bytes} bytes; a schema may be at most ${MAX_SCHEMA_BYTES}` : undefined;
}

/**
 * A schema file's validator, with the draft its `$schema` declares; ConfigError saying what is wrong with
 * the file otherwise (the message is shown to the repository's owner). The sync engine compiles each schema
 * when it reads the config, so a broken one is the repository's configError, not a visitor's error.
 */
export function compileRecordSchema(schemaPath: string, content: Buffer): ValidateFunction {
  const tooLarge = schemaSizeProblem(schemaPath, content.length);
  if (tooLarge) throw new ConfigError(tooLarge, { schema: schemaPath });
  let schema: unknown;
  try {
    schema = JSON.parse(content.toString("utf8"));
  } catch (error) {
    throw new ConfigError(`the schema ${schemaPath} is not valid JSON: ${messageOf(error)}`, { schema: schemaPath });
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new ConfigError(`the schema ${schemaPath} must be a JSON object`, { schema: schemaPath });
  }
  try {
    return validatorFactory((schema as { $schema?: unknown }).$schema).compile(schema as AnySchema);
  } catch (error) {
    throw new ConfigError(`the schema ${schemaPath} does not compile: ${messageOf(error)}`, { schema: schemaPath });
  }
}

/**
 * `pattern` and `patternProperties` run on RE2's engine, in time linear in the input: with JavaScript's,
 * a pattern such as `^(a+)+$` took seconds on a 30-character field and held every request meanwhile. The
 * price: lookarounds and backreferences do not compile, which the owner sees as the schema's configError.
 */
const linearRegExp = Object.assign(
  (pattern: string, flags: string) => RE2JS.compile(pattern, flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0),
  {
    code: "re2js",
  },
);

// Unknown keywords are tolerated (strict: false): sites copy schemas from elsewhere, often with annotations.
function validatorFactory(draft: unknown): Ajv {
  const options = { allErrors: true, strict: false, code: { regExp: linearRegExp } };
  const ajv =
    typeof draft === "string" && draft.includes("2020-12")
      ? new Ajv2020(options)
      : typeof draft === "string" && draft.includes("2019-09")
        ? new Ajv2019(options)
        : new Ajv(options);
  addFormats.default(ajv);
  return ajv;
}
