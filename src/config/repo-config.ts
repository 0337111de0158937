import { Ajv, type JSONSchemaType } from "ajv";
import { ConfigError } from "../errors.js";
import { pathProblem, isUnderDotGithub } from "../paths.js";

/** Where the per-repository config lives, read from the default branch. */
export const REPO_CONFIG_PATH = ".github/gitdisk.yml";
/** The same, relative to `.github/` as Probot's config loader wants it. */
export const REPO_CONFIG_FILE = "gitdisk.yml";

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
const HARD_MAX_FILE_BYTES = 100 * 1024 * 1024; // GitHub refuses larger files anyway

export type WritePolicy = "user" | "owner" | "site";
export type RecordFormat = "json" | "markdown";

export interface CollectionConfig {
  /** Folder of the collection's records in the repository. */
  path: string;
  /** Template of a record id (its path inside the folder, no extension), e.g. `{doc}/{user}`. */
  id: string;
  /** Repository path of a JSON Schema that records must satisfy. */
  schema?: string;
  write: WritePolicy;
  maxBytes?: number;
  format?: RecordFormat;
}

export interface RepoConfig {
  /** Branch to mirror and write to; the repository's default branch when absent. */
  branch?: string;
  mirror: { include: string[]; exclude: string[]; maxFileBytes: number };
  api: { public: string[] };
  collections: Record<string, CollectionConfig>;
}

/** What a site gets without any configuration. */
export const DEFAULT_COLLECTIONS: Record<string, CollectionConfig> = {
  profiles: { path: "data/users", id: "{user}", write: "owner" },
  messages: { path: "data/messages", id: "{ulid}", write: "user", maxBytes: 8192 },
  likes: { path: "data/likes", id: "{doc}/{user}", write: "user" },
};

export const DEFAULT_REPO_CONFIG: RepoConfig = {
  mirror: { include: ["**"], exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  api: { public: [] },
  collections: DEFAULT_COLLECTIONS,
};

interface RawRepoConfig {
  branch?: string;
  mirror?: { include?: string[]; exclude?: string[]; maxFileBytes?: number };
  api?: { public?: string[] };
  collections?: Record<string, CollectionConfig>;
}

const globList = { type: "array", items: { type: "string", minLength: 1, maxLength: 500 }, maxItems: 200, nullable: true } as const;

const schema: JSONSchemaType<RawRepoConfig> = {
  type: "object",
  additionalProperties: false,
  properties: {
    branch: { type: "string", minLength: 1, maxLength: 255, pattern: "^[^\\s~^:?*\\[\\\\]+$", nullable: true },
    mirror: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: {
        include: globList,
        exclude: globList,
        maxFileBytes: { type: "integer", minimum: 1, maximum: HARD_MAX_FILE_BYTES, nullable: true },
      },
    },
    api: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: { public: globList },
    },
    collections: {
      type: "object",
      nullable: true,
      required: [],
      propertyNames: { pattern: "^[a-z][a-z0-9_-]{0,63}$" },
      maxProperties: 100,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["path", "id", "write"],
        properties: {
          path: { type: "string", minLength: 1, maxLength: 500 },
          id: { type: "string", minLength: 1, maxLength: 500, pattern: "^[^\\s]+$" },
          schema: { type: "string", minLength: 1, maxLength: 500, nullable: true },
          write: { type: "string", enum: ["user", "owner", "site"] },
          maxBytes: { type: "integer", minimum: 1, maximum: 10 * 1024 * 1024, nullable: true },
          format: { type: "string", enum: ["json", "markdown"], nullable: true },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

function checkCollectionPaths(collections: Record<string, CollectionConfig>): void {
  for (const [name, collection] of Object.entries(collections)) {
    const folder = collection.path.replace(/\/+$/, "");
    const problem = pathProblem(folder) ?? (isUnderDotGithub(folder) ? "may not be under .github/" : undefined);
    if (problem) throw new ConfigError(`collections.${name}.path: ${problem}`, { collection: name });
    if (collection.schema !== undefined) {
      const schemaProblem = pathProblem(collection.schema);
      if (schemaProblem) throw new ConfigError(`collections.${name}.schema: ${schemaProblem}`, { collection: name });
    }
  }
}

/**
 * Validates a parsed `.github/gitdisk.yml` (null or undefined when the file is absent) and fills in
 * the defaults. Throws ConfigError listing every problem, so the owner can fix them in one go.
 */
export function parseRepoConfig(raw: unknown): RepoConfig {
  if (raw === null || raw === undefined) return DEFAULT_REPO_CONFIG;
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    throw new ConfigError(`${REPO_CONFIG_PATH} is invalid: ${problems.join("; ")}`, { problems });
  }
  const collections = raw.collections
    ? Object.fromEntries(
        Object.entries(raw.collections).map(([name, c]) => [name, { ...c, path: c.path.replace(/\/+$/, "") }]),
      )
    : DEFAULT_COLLECTIONS;
  checkCollectionPaths(collections);
  return {
    ...(raw.branch === undefined ? {} : { branch: raw.branch }),
    mirror: {
      include: raw.mirror?.include ?? DEFAULT_REPO_CONFIG.mirror.include,
      exclude: raw.mirror?.exclude ?? DEFAULT_REPO_CONFIG.mirror.exclude,
      maxFileBytes: raw.mirror?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    },
    api: { public: raw.api?.public ?? [] },
    collections,
  };
}
