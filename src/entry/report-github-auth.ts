import type { Logger, Probot } from "probot";
import { checkGithubAuth } from "../github/check-github-auth.js";
import type { GithubAuthStatus } from "../github/github-auth-status.js";

const HOW_TO_FIX = {
  app: "check APP_ID and the app's private key (PRIVATE_KEY or PRIVATE_KEY_PATH; a new key can be generated on the app's settings page), and GHE_HOST",
  token:
    "GITHUB_TOKEN is wrong, expired or revoked: create a fine-grained token with Contents read and write on the content repository, and check GHE_HOST",
} as const;

/**
 * Asks GitHub once, at start, whether it takes gitdisk's credentials, and says so in the log and in
 * `/status`, rather than at the first push. A refusal does not stop the server: the data API still
 * serves the mirror, and a key fixed on GitHub's side works without a restart.
 */
export async function reportGithubAuth(probot: Probot, mode: "app" | "token", status: GithubAuthStatus, log: Logger): Promise<void> {
  const check = await checkGithubAuth(await probot.auth(), mode);
  status.record(check);
  if (check.outcome === "ok") log.info(`GitHub accepts gitdisk's credentials (${check.identity})`);
  else if (check.outcome === "refused") log.error(`GitHub refuses gitdisk's credentials (${check.reason}): ${HOW_TO_FIX[mode]}`);
  else log.warn(`could not check gitdisk's credentials with GitHub (${check.reason}): syncs and commits will try again`);
}
