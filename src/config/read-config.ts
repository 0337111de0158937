import { type ApiConfig, readApiConfig } from "./api-config.js";
import type { Env } from "./env-text.js";
import { type GithubConfig, readGithubConfig } from "./github-config.js";
import { readServerConfig, type ServerConfig } from "./server-config.js";
import { readSignInConfig, type SignInConfig } from "./sign-in-config.js";
import { readStoreConfig, type StoreConfig } from "./store-config.js";
import { readSyncConfig, type SyncConfig } from "./sync-config.js";
import { readWritebackOptions, type WritebackOptions } from "./writeback-options.js";

/** Everything gitdisk takes from the environment, checked once, by the part of gitdisk it configures. */
export interface Config {
  server: ServerConfig;
  github: GithubConfig;
  store: StoreConfig;
  sync: SyncConfig;
  api: ApiConfig;
  /** Sign in with GitHub; undefined when its variables are unset (the /v1/auth routes answer 503). */
  signIn: SignInConfig | undefined;
  writeback: WritebackOptions;
  /** The environment read, for Probot to read its own variables from (LOG_FORMAT, PRIVATE_KEY, …), with the values checked here. */
  probotEnv: Env;
}

/**
 * Reads and checks every variable gitdisk uses: a variable that cannot be used is named in a ConfigError,
 * before anything starts. The entry files call it once and hand the result down.
 */
export function readConfig(env: Env): Config {
  const server = readServerConfig(env);
  const github = readGithubConfig(env);
  return {
    server,
    github,
    store: readStoreConfig(env),
    sync: readSyncConfig(env),
    api: readApiConfig(env),
    // The setup page is what writes the app's client id and secret: sign-in is judged once the app exists.
    signIn: github.mode.kind === "setup" ? undefined : readSignInConfig(env),
    writeback: readWritebackOptions(env),
    // Probot reads these again itself: it gets the values checked here, so that it listens, routes and
    // verifies as gitdisk's own body cap and signature check do.
    probotEnv: {
      ...env,
      LOG_LEVEL: server.logLevel,
      PORT: String(server.port),
      HOST: server.host,
      WEBHOOK_PATH: server.webhookPath,
      ...(github.mode.kind === "setup" ? {} : { WEBHOOK_SECRET: github.mode.secret }),
    },
  };
}
