import { chooseMode, type ServerMode } from "./choose-mode.js";
import { type Env, envText } from "./env-text.js";

/** How gitdisk reaches GitHub. */
export interface GithubConfig {
  /** Setup, GitHub App or token mode, with the credentials each needs; the one place token mode is decided. */
  mode: ServerMode;
  /** The REST API gitdisk talks to: api.github.com, or GHE_HOST's /api/v3. */
  apiUrl: string;
}

export function readGithubConfig(env: Env): GithubConfig {
  const gheHost = envText(env, "GHE_HOST");
  return {
    mode: chooseMode(env),
    apiUrl: gheHost ? `${envText(env, "GHE_PROTOCOL") ?? "https"}://${gheHost}/api/v3` : "https://api.github.com",
  };
}
