import { createGithubSignIn } from "../auth/github-sign-in.js";
import { UsedNonces } from "../auth/sign-in-state.js";
import type { SigningSecrets } from "../auth/signed-tokens.js";
import type { SignInConfig } from "../config/sign-in-config.js";
import type { SignInDeps } from "./api-types.js";

/** Sign-in wired to GitHub at `apiUrl`, with the real clock. */
export function createSignInDeps(config: SignInConfig, apiUrl: string, refreshProfile: SignInDeps["refreshProfile"]): SignInDeps {
  const { clientId, clientSecret, callbackUrl } = config;
  return {
    config,
    github: createGithubSignIn({ clientId, clientSecret, callbackUrl, apiUrl }),
    refreshProfile,
    usedNonces: new UsedNonces(),
    now: Date.now,
  };
}

/** The secrets that sign (current) and still verify (previous) sessions and sign-in states. */
export function signingSecrets(config: SignInConfig): SigningSecrets {
  return { current: config.sessionSecret, previous: config.previousSessionSecret };
}
