import path from "node:path";
import { ConfigError } from "../errors.js";

/** gitdisk's own settings; Probot reads its own variables (APP_ID, PRIVATE_KEY, …) itself. */
export interface GitdiskConfig {
  /** Folder of the embedded store. */
  dataDir: string;
  /** PostgreSQL connection string; when set, the server backend is used instead of the embedded one. */
  databaseUrl: string | undefined;
  /** Site key for private reads and for writes. */
  apiKey: string | undefined;
  /** Token mode: a personal access token instead of a GitHub App. */
  githubToken: string | undefined;
  /** How often every mirror is compared with its branch head, to repair missed webhooks. 0 turns it off. */
  healIntervalMs: number;
  /** Largest request body the data API accepts. */
  maxBodyBytes: number;
  /** Most bytes of distinct blobs one repository's mirror holds; the files beyond are not mirrored. */
  maxRepoBytes: number;
}

type Env = Record<string, string | undefined>;

function wholeNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(raw)}`, { name });
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function readEnv(env: Env = process.env): GitdiskConfig {
  const apiKey = optional(env, "GITDISK_API_KEY");
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new ConfigError("GITDISK_API_KEY must be at least 16 characters long");
  }
  return {
    dataDir: path.resolve(optional(env, "DATA_DIR") ?? "./data"),
    databaseUrl: optional(env, "DATABASE_URL"),
    apiKey,
    githubToken: optional(env, "GITHUB_TOKEN"),
    healIntervalMs: wholeNumber(env, "GITDISK_HEAL_INTERVAL_SECONDS", 300) * 1000,
    maxBodyBytes: wholeNumber(env, "GITDISK_MAX_BODY_BYTES", 1024 * 1024),
    maxRepoBytes: wholeNumber(env, "GITDISK_MAX_REPO_BYTES", 1024 ** 3),
  };
}
