import { ConfigError } from "../errors.js";
import { type Env, envText } from "./env-text.js";
import { envWholeNumber } from "./env-whole-number.js";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the HTTP server listens and how it logs (Probot's variables, checked by gitdisk). */
export interface ServerConfig {
  port: number;
  host: string;
  /** Where GitHub delivers webhooks (Probot's WEBHOOK_PATH). */
  webhookPath: string;
  /** A smee.io channel forwarding GitHub's webhooks to this machine. */
  webhookProxyUrl: string | undefined;
  logLevel: LogLevel;
}

function logLevel(env: Env): LogLevel {
  const raw = envText(env, "LOG_LEVEL") ?? "info";
  const level = LOG_LEVELS.find((known) => known === raw);
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`, { name: "LOG_LEVEL" });
  return level;
}

export function readServerConfig(env: Env): ServerConfig {
  return {
    port: envWholeNumber(env, "PORT", { fallback: 3000, min: 1, max: 65535, kind: "a port number" }),
    host: envText(env, "HOST") ?? "localhost",
    webhookPath: envText(env, "WEBHOOK_PATH") ?? "/api/github/webhooks",
    webhookProxyUrl: envText(env, "WEBHOOK_PROXY_URL"),
    logLevel: logLevel(env),
  };
}
