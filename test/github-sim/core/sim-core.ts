import type { TokenRegistry } from "../auth/token-registry.js";
import type { GitIdentity } from "../git/parse-commit.js";
import type { RateLimits } from "../http/rate-limits.js";
import type { OpenApiCatalog } from "../openapi/openapi-catalog.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import type { RepoHooks } from "../state/repo-hooks.js";
import type { Account, World } from "../state/world.js";
import type { WebhookDispatcher } from "../webhooks/webhook-dispatcher.js";

/** The simulator's shared services, handed to every handler and action. */
export interface SimCore {
  world: World;
  tokens: TokenRegistry;
  urls: SimUrls;
  webhooks: WebhookDispatcher;
  /** Repository webhooks (`POST /repos/{owner}/{repo}/hooks`), besides the app's. */
  hooks: RepoHooks;
  catalog: OpenApiCatalog;
  rateLimits: RateLimits;
  /** Where bare repositories live. */
  dataDir: string;
  /** The person who acts through the control API unless told otherwise. */
  defaultUser: Account;
  /** The default user's token, which sees every repository (token mode, naive baselines). */
  personalAccessToken: string;
  /** Blob.text is cut (isTruncated) above this many bytes, as GitHub does. */
  blobTextLimit: number;
  now(): Date;
}

export function identityOf(account: Account, now: Date): GitIdentity {
  return {
    name: account.type === "Bot" ? account.login : account.name,
    email: account.email ?? `${account.id}+${account.login}@users.noreply.sim`,
    timestamp: Math.floor(now.getTime() / 1000),
    timezone: "+0000",
  };
}

/** The identity GitHub commits with when it creates commits on someone's behalf (web-flow). */
export function webFlowIdentity(now: Date): GitIdentity {
  return { name: "GitHub", email: "noreply@github.com", timestamp: Math.floor(now.getTime() / 1000), timezone: "+0000" };
}

/** Links a commit email to an account, as GitHub does for author/committer users. */
export function accountByEmail(world: World, email: string): Account | undefined {
  for (const account of world.accounts.values()) if (account.email && account.email.toLowerCase() === email.toLowerCase()) return account;
  return undefined;
}
