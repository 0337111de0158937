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
  api: {
    public: string[];
    /** Origins of the site's pages: where sign-in may return, which may write with a session cookie, and CORS with credentials. */
    origins: string[];
    /** Accepted writes per signed-in visitor and repository; keys are not counted. */
    visitorLimits: { writesPerMinute: number; writesPerDay: number };
  };
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

export const DEFAULT_VISITOR_LIMITS = { writesPerMinute: 60, writesPerDay: 1000 };

export const DEFAULT_REPO_CONFIG: RepoConfig = {
  mirror: { include: ["**"], exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  api: { public: [], origins: [], visitorLimits: DEFAULT_VISITOR_LIMITS },
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
  api: { public: [], origins: [], visitorLimits: DEFAULT_VISITOR_LIMITS },
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
  const origins = raw.api?.origins ?? [];
  problems.push(...originProblems(origins));
  if (problems.length > 0) throw invalidRepoConfig(problems);
  return {
    ...(raw.branch === undefined ? {} : { branch: raw.branch }),
    mirror,
    api: {
      public: raw.api?.public ?? [],
      origins,
      visitorLimits: { ...DEFAULT_VISITOR_LIMITS, ...raw.api?.visitorLimits },
    },
    collections,
  };
}

/** An origin is compared with `Origin` as text, so it must be written as a browser sends it: lower case, no default port. */
function originProblems(origins: readonly string[]): string[] {
  return origins.flatMap((origin, index) => {
    const canonical = URL.canParse(origin) ? new URL(origin).origin : undefined;
    return canonical === origin
      ? []
      : [`api.origins[${index}] ${JSON.stringify(origin)} must be written ${canonical ? `as ${canonical}` : "as scheme://host[:port]"}`];
  });
}
