import { ConfigError } from "../errors.js";
import { chooseMode, type ServerMode } from "./choose-mode.js";
import { type Env, envText } from "./env-text.js";

/** How gitdisk reaches GitHub. */
export interface GithubConfig {
  /** Setup, GitHub App or token mode, with the credentials each needs; the one place token mode is decided. */
  mode: ServerMode;
  /** The REST API gitdisk talks to: api.github.com, or GHE_HOST's /api/v3. */
  apiUrl: string;
}

const GHE_PROTOCOLS = ["https", "http"];

/** GHE_PROTOCOL as Probot uses it: checked here, so a typo stops the start instead of every call to GitHub. */
function gheProtocol(env: Env): string {
  const protocol = envText(env, "GHE_PROTOCOL") ?? "https";
  if (!GHE_PROTOCOLS.includes(protocol)) {
    throw new ConfigError(`GHE_PROTOCOL must be https or http, got ${JSON.stringify(protocol)}`, { name: "GHE_PROTOCOL" });
  }
  return protocol;
}

export function readGithubConfig(env: Env): GithubConfig {
  const gheHost = envText(env, "GHE_HOST");
  const protocol = gheProtocol(env);
  return {
    mode: chooseMode(env),
    apiUrl: gheHost ? `${protocol}://${gheHost}/api/v3` : "https://api.github.com",
  };
}
