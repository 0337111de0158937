import { ConfigError } from "../errors.js";
import { type Env, envText } from "./env-text.js";

/** Long enough that an HS256 key cannot be guessed: 32 characters of a random secret. */
const MIN_SECRET_LENGTH = 32;

/** Sign in with GitHub: the OAuth client, the secrets that sign sessions, and where gitdisk is reached. */
export interface SignInConfig {
  clientId: string;
  clientSecret: string;
  /** Signs new sessions and sign-in states. */
  sessionSecret: string;
  /** A rotated-out secret: still verifies what it signed until those expire, never signs. */
  previousSessionSecret: string | undefined;
  /** gitdisk's own public base URL, without a trailing slash. */
  publicUrl: string;
  /** Where GitHub returns the visitor: `${publicUrl}/v1/auth/callback`. */
  callbackUrl: string;
  /** Cookies are `Secure` when gitdisk is reached over https. */
  secureCookies: boolean;
}

/** The variables sign-in needs, all of them once it is asked for. */
const REQUIRED = ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "GITDISK_SESSION_SECRET", "GITDISK_PUBLIC_URL"] as const;
/**
 * The variables that ask for sign-in. The client id and secret alone do not: Probot's setup page writes
 * them into `.env` for every new app, and a site that never wanted sign-in must still start.
 */
const ASKING = ["GITDISK_SESSION_SECRET", "GITDISK_SESSION_SECRET_PREVIOUS", "GITDISK_PUBLIC_URL"] as const;

function secret(env: Env, name: string): string | undefined {
  const value = envText(env, name);
  if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${name} must be at least ${MIN_SECRET_LENGTH} characters long (a random secret, e.g. openssl rand -hex 32)`, {
      name,
    });
  }
  return value;
}

function publicUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !["https:", "http:"].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`GITDISK_PUBLIC_URL must be an http(s) base URL such as https://data.example.com, got ${JSON.stringify(raw)}`, {
      name: "GITDISK_PUBLIC_URL",
    });
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Sign-in is off (the /v1/auth routes say so) until one of gitdisk's sign-in variables asks for it; then it
 * needs all of REQUIRED, and a partial set is a mistake worth stopping for: the ConfigError names what is missing.
 */
export function readSignInConfig(env: Env): SignInConfig | undefined {
  const previousSessionSecret = secret(env, "GITDISK_SESSION_SECRET_PREVIOUS");
  const sessionSecret = secret(env, "GITDISK_SESSION_SECRET");
  const missing = REQUIRED.filter((name) => envText(env, name) === undefined);
  if (ASKING.every((name) => envText(env, name) === undefined)) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(`sign-in with GitHub needs ${REQUIRED.join(", ")}; missing: ${missing.join(", ")}`, { name: missing[0] });
  }
  const base = publicUrl(envText(env, "GITDISK_PUBLIC_URL")!);
  return {
    clientId: envText(env, "GITHUB_CLIENT_ID")!,
    clientSecret: envText(env, "GITHUB_CLIENT_SECRET")!,
    sessionSecret: sessionSecret!,
    previousSessionSecret,
    publicUrl: base,
    callbackUrl: `${base}/v1/auth/callback`,
    secureCookies: base.startsWith("https:"),
  };
}
