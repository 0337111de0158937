import { ConfigError } from "../errors.js";
import { type Env, envText } from "./env-text.js";
import { envWholeNumber } from "./env-whole-number.js";

/** A record is a small file: a body this large is buffered whole, and GitHub refuses far smaller files' commits anyway. */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

/** The data API's settings. */
export interface ApiConfig {
  /** Site key for private reads and for writes. */
  apiKey: string | undefined;
  /** Largest request body the data API accepts. */
  maxBodyBytes: number;
}

export function readApiConfig(env: Env): ApiConfig {
  const apiKey = envText(env, "GITDISK_API_KEY");
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new ConfigError("GITDISK_API_KEY must be at least 16 characters long", { name: "GITDISK_API_KEY" });
  }
  return { apiKey, maxBodyBytes: envWholeNumber(env, "GITDISK_MAX_BODY_BYTES", { fallback: 1024 * 1024, min: 1, max: MAX_BODY_BYTES }) };
}
