import { Ajv, type ValidateFunction } from "ajv";
import type { CollectionConfig } from "./repo-config.js";

const HARD_MAX_FILE_BYTES = 100 * 1024 * 1024; // GitHub refuses larger files anyway

/** `.github/gitdisk.yml` as written: every section optional; `<name>: false` turns a default collection off. */
export interface RawRepoConfig {
  branch?: string;
  mirror?: { include?: string[]; exclude?: string[]; maxFileBytes?: number };
  api?: { public?: string[]; origins?: string[]; visitorLimits?: { writesPerMinute?: number; writesPerDay?: number } };
  collections?: Record<string, CollectionConfig | false>;
}

/** What a collection name may be, in the words of the error that refuses another. */
export const COLLECTION_NAME_RULE = "lower-case letters, digits, '-' and '_', starting with a letter, at most 64";

const BRANCH_NAME = "^[^\\s~^:?*\\[\\\\]+$";
const NO_WHITE_SPACE = "^[^\\s]+$";
// Scheme, host and optional port, as a browser sends it in `Origin`; parseRepoConfig also checks it is in canonical form.
const ORIGIN = "^https?://[^/?#\\s@]+$";

/** What the file's patterns mean, in the words of the error for a value that breaks one. */
export const PATTERN_MEANINGS: Record<string, string> = {
  [BRANCH_NAME]: "is not a branch name git accepts",
  [NO_WHITE_SPACE]: "may not contain white space",
  [ORIGIN]: "is not an origin such as https://example.com (scheme, host and port only)",
};

const globList = { type: "array", items: { type: "string", minLength: 1, maxLength: 500 }, maxItems: 200 };

const collection = {
  type: "object",
  additionalProperties: false,
  required: ["path", "id", "write"],
  properties: {
    path: { type: "string", minLength: 1, maxLength: 500 },
    id: { type: "string", minLength: 1, maxLength: 500, pattern: NO_WHITE_SPACE },
    schema: { type: "string", minLength: 1, maxLength: 500 },
    write: { type: "string", enum: ["user", "owner", "site"] },
    maxBytes: { type: "integer", minimum: 1, maximum: 10 * 1024 * 1024 },
    format: { type: "string", enum: ["json", "markdown"] },
  },
};

const schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    branch: { type: "string", minLength: 1, maxLength: 255, pattern: BRANCH_NAME },
    mirror: {
      type: "object",
      additionalProperties: false,
      properties: { include: globList, exclude: globList, maxFileBytes: { type: "integer", minimum: 1, maximum: HARD_MAX_FILE_BYTES } },
    },
    api: {
      type: "object",
      additionalProperties: false,
      properties: {
        public: globList,
        origins: { type: "array", items: { type: "string", minLength: 1, maxLength: 300, pattern: ORIGIN }, maxItems: 50 },
        visitorLimits: {
          type: "object",
          additionalProperties: false,
          properties: {
            writesPerMinute: { type: "integer", minimum: 1, maximum: 10_000 },
            writesPerDay: { type: "integer", minimum: 1, maximum: 1_000_000 },
          },
        },
      },
    },
    collections: {
      type: "object",
      propertyNames: { pattern: "^[a-z][a-z0-9_-]{0,63}$" },
      maxProperties: 100,
      // if/then/else rather than anyOf: a mistyped collection then gets the collection's errors only.
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise.
      additionalProperties: { if: { type: "object" }, then: collection, else: { const: false } },
    },
  },
};

/** The JSON Schema of the file; `verbose` keeps each error's schema, whose keys name the suggestions for a typo. */
export const validateRawRepoConfig: ValidateFunction<RawRepoConfig> = new Ajv({ allErrors: true, verbose: true }).compile<RawRepoConfig>(
  schema,
);
