import path from "node:path";
import { ConfigError } from "../errors.js";
import { chooseMode, type ServerMode } from "./choose-mode.js";

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

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** What the server entry needs beyond gitdisk's own settings (Probot's variables, read in the same place). */
export interface ServerEnv {
  mode: ServerMode;
  port: number;
  host: string;
  /** The REST API gitdisk talks to: api.github.com, or GHE_HOST's /api/v3. */
  githubApiUrl: string;
  webhookProxyUrl: string | undefined;
  /** Where GitHub delivers webhooks (Probot's WEBHOOK_PATH). */
  webhookPath: string;
  /** The environment read, for Probot to read its own variables from (LOG_FORMAT, PRIVATE_KEY, …); LOG_LEVEL checked. */
  probotEnv: Env;
  gitdisk: GitdiskConfig;
}

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

function port(env: Env): number {
  const raw = optional(env, "PORT");
  if (raw === undefined) return 3000;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    throw new ConfigError(`PORT must be a port number from 1 to 65535, got ${JSON.stringify(raw)}`, { name: "PORT" });
  }
  return value;
}

function logLevel(env: Env): LogLevel {
  const raw = optional(env, "LOG_LEVEL") ?? "info";
  const level = LOG_LEVELS.find((known) => known === raw);
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`, { name: "LOG_LEVEL" });
  return level;
}

/** Everything `npm start` needs from the environment, checked: a variable that cannot be used is named in a ConfigError. */
export function readServerEnv(env: Env = process.env): ServerEnv {
  const gheHost = optional(env, "GHE_HOST");
  const mode = chooseMode(env);
  const checked = {
    port: port(env),
    host: optional(env, "HOST") ?? "localhost",
    webhookPath: optional(env, "WEBHOOK_PATH") ?? "/api/github/webhooks",
  };
  return {
    mode,
    ...checked,
    githubApiUrl: gheHost ? `${optional(env, "GHE_PROTOCOL") ?? "https"}://${gheHost}/api/v3` : "https://api.github.com",
    webhookProxyUrl: optional(env, "WEBHOOK_PROXY_URL"),
    // Probot reads these again itself: it gets the values checked here, so that it listens, routes and
    // verifies as gitdisk's own body cap and signature check do.
    probotEnv: {
      ...env,
      LOG_LEVEL: logLevel(env),
      PORT: String(checked.port),
      HOST: checked.host,
      WEBHOOK_PATH: checked.webhookPath,
      ...(mode.kind === "setup" ? {} : { WEBHOOK_SECRET: mode.secret }),
    },
    gitdisk: readEnv(env),
  };
}
