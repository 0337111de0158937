import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { httpStatusOf, messageOf } from "../errors.js";
import type { GithubUser } from "./github-user.js";

/**
 * The web flow as a GitHub App's user authorization. In token mode the id and secret are an OAuth
 * app's: the same flow asking no scopes, which is what sign-in wants of it too (who the visitor is,
 * and their permissions on a public repository; a private one then reads as "not admin").
 */
const CLIENT_TYPE = "github-app";

export interface GithubSignInOptions {
  clientId: string;
  clientSecret: string;
  /** gitdisk's callback, which GitHub checks against the app's registered callback URL. */
  callbackUrl: string;
  /** The REST API: api.github.com, or GHE's /api/v3, from which the OAuth pages' host follows. */
  apiUrl: string;
}

/** GitHub's side of the web flow, as sign-in uses it. */
export interface GithubSignIn {
  /** GitHub's authorize page for this app, returning to the callback with `state`. */
  authorizeUrl(state: string): string;
  /**
   * The visitor behind a web-flow code, and whether they administer `repo` (owner/name). The user
   * token this takes is used for these two reads and dropped.
   */
  signIn(code: string, repo: string): Promise<{ user: GithubUser; admin: boolean }>;
}

/**
 * GitHub would not sign the visitor in: `reason` is GitHub's OAuth error (bad_verification_code, …)
 * or `github_error` when GitHub could not be asked; the page is told it, the log gets the message.
 */
export class GithubSignInError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.reason = reason;
  }
}

const OAUTH_ERROR = /^[a-z_]{1,64}$/;

/** Whether a value is an OAuth error code as GitHub writes them (`access_denied`), safe to hand a page. */
export function isOauthErrorCode(value: string): boolean {
  return OAUTH_ERROR.test(value);
}

/** GitHub's OAuth error code from a refused exchange (oauth-methods keeps the answer on the error). */
function oauthErrorOf(error: unknown): string | undefined {
  const data = (error as { response?: { data?: { error?: unknown } } }).response?.data;
  return typeof data?.error === "string" && isOauthErrorCode(data.error) ? data.error : undefined;
}

export function createGithubSignIn({ clientId, clientSecret, callbackUrl, apiUrl }: GithubSignInOptions): GithubSignIn {
  // @octokit/request, not Probot's Octokit: its request log would print the client secret and the code at debug.
  const github = request.defaults({ baseUrl: apiUrl, headers: { "user-agent": "gitdisk" } });

  async function userToken(code: string): Promise<string> {
    try {
      const { authentication } = await exchangeWebFlowCode({
        clientType: CLIENT_TYPE,
        clientId,
        clientSecret,
        code,
        redirectUrl: callbackUrl,
        request: github,
      });
      return authentication.token;
    } catch (error) {
      const reason = oauthErrorOf(error) ?? "github_error";
      throw new GithubSignInError(reason, `GitHub refused the sign-in code: ${messageOf(error)}`, error);
    }
  }

  async function isAdmin(token: string, repo: string): Promise<boolean> {
    const [owner = "", name = ""] = repo.split("/");
    try {
      const { data } = await github("GET /repos/{owner}/{repo}", { owner, repo: name, headers: { authorization: `token ${token}` } });
      return data.permissions?.admin === true;
    } catch (error) {
      // A repository the visitor may not see, or one the app's user token is not granted: not an admin of it.
      if (httpStatusOf(error) === 404 || httpStatusOf(error) === 403) return false;
      throw error;
    }
  }

  return {
    authorizeUrl: (state) =>
      getWebFlowAuthorizationUrl({ clientType: CLIENT_TYPE, clientId, redirectUrl: callbackUrl, state, request: github }).url,
    async signIn(code, repo) {
      const token = await userToken(code);
      try {
        // Two reads, one round trip: the visitor waits on the callback.
        const [{ data }, admin] = await Promise.all([
          github("GET /user", { headers: { authorization: `token ${token}` } }),
          isAdmin(token, repo),
        ]);
        const user: GithubUser = {
          id: Number(data.id),
          login: data.login,
          name: data.name,
          avatar_url: data.avatar_url,
          html_url: data.html_url,
        };
        return { user, admin };
      } catch (error) {
        throw new GithubSignInError("github_error", `GitHub did not answer who signed in: ${messageOf(error)}`, error);
      }
    },
  };
}
