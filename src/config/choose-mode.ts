import { ConfigError } from "../errors.js";
import { type Env, envText } from "./env-text.js";

/**
 * How the server runs: `setup` (no credentials yet: Probot's page registers the app), `app` (a GitHub App)
 * or `token` (a personal access token and a repository webhook).
 */
export type ServerMode =
  | { kind: "setup" }
  | { kind: "app"; appId: string; secret: string }
  | { kind: "token"; githubToken: string; secret: string };

/** Probot verifies webhooks with this well-known secret when none is configured: anyone can sign with it. */
const PROBOT_FALLBACK_SECRET = "development";

function webhookSecret(env: Env, where: string): string {
  const secret = envText(env, "WEBHOOK_SECRET");
  if (!secret || secret === PROBOT_FALLBACK_SECRET) {
    throw new ConfigError(
      `WEBHOOK_SECRET is ${secret ? `the public placeholder "${PROBOT_FALLBACK_SECRET}"` : "empty"}: anyone could send gitdisk forged webhooks. ` +
        `Set it (in .env or the environment) to the secret of ${where}`,
      { name: "WEBHOOK_SECRET" },
    );
  }
  return secret;
}

/** The mode the environment asks for (GITHUB_TOKEN wins over APP_ID); a mode that receives webhooks needs a real secret. */
export function chooseMode(env: Env): ServerMode {
  const githubToken = envText(env, "GITHUB_TOKEN");
  if (githubToken) return { kind: "token", githubToken, secret: webhookSecret(env, "the repository webhook") };
  const appId = envText(env, "APP_ID");
  if (appId) return { kind: "app", appId, secret: webhookSecret(env, "your GitHub App's webhook") };
  return { kind: "setup" };
}
