import { ConfigError } from "../errors.js";
import type { RecordFormat } from "../records/record-format.js";
import { describeSchemaErrors } from "./describe-schema-errors.js";
import { mergeCollections } from "./merge-collections.js";
import { validateRawRepoConfig } from "./repo-config-schema.js";

/** Where the per-repository config lives, read from the default branch. */
export const REPO_CONFIG_PATH = ".github/gitdisk.yml";

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export type WritePolicy = "user" | "owner" | "site";

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
  /** Set only on WITHHELD_REPO_CONFIG. */
  withheld?: true;
}

/** What a site gets without any configuration, and under any it declares unless turned off (`likes: false`). */
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

/**
 * In force while `.github/gitdisk.yml` exists but no valid version of it is known (the first one read
 * was invalid): nothing is mirrored, nothing served, no collection offered, until a valid one is pushed.
 * Falling back to the defaults instead would mirror what the broken file meant to leave out.
 */
export const WITHHELD_REPO_CONFIG: RepoConfig = {
  withheld: true,
  mirror: { include: [], exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  api: { public: [] },
  collections: {},
};

/** The error for a `.github/gitdisk.yml` that cannot be used, listing every problem so the owner can fix them in one go. */
export function invalidRepoConfig(problems: string[]): ConfigError {
  return new ConfigError(`${REPO_CONFIG_PATH} is invalid: ${problems.join("; ")}`, { problems });
}

/**
 * Validates a parsed `.github/gitdisk.yml` (null or undefined when the file is absent) and fills in
 * the defaults. Throws ConfigError listing every problem, each naming its key, so the owner can fix
 * them in one go.
 */
export function parseRepoConfig(raw: unknown): RepoConfig {
  if (raw === null || raw === undefined) return DEFAULT_REPO_CONFIG;
  if (!validateRawRepoConfig(raw)) throw invalidRepoConfig(describeSchemaErrors(validateRawRepoConfig.errors ?? []));
  const mirror = {
    include: raw.mirror?.include ?? DEFAULT_REPO_CONFIG.mirror.include,
    exclude: raw.mirror?.exclude ?? DEFAULT_REPO_CONFIG.mirror.exclude,
    maxFileBytes: raw.mirror?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  const { collections, problems } = mergeCollections(DEFAULT_COLLECTIONS, raw.collections, mirror);
  if (problems.length > 0) throw invalidRepoConfig(problems);
  return {
    ...(raw.branch === undefined ? {} : { branch: raw.branch }),
    mirror,
    api: { public: raw.api?.public ?? [] },
    collections,
  };
}
