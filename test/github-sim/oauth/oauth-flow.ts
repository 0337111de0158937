import { randomBytes } from "node:crypto";
import { newTokenString, USER_TOKEN_LIFETIME_MS } from "../auth/token-registry.js";
import type { SimCore } from "../core/sim-core.js";
import type { SimRequest, SimResponse } from "../http/sim-http.js";
import { emptyResponse, HttpError, jsonResponse } from "../http/sim-http.js";
import type { Account } from "../state/world.js";

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const REFRESH_TOKEN_LIFETIME_SECONDS = 15897600;

interface PendingCode {
  user: Account;
  redirectUri: string;
  scopes: string[];
  expires: number;
}

function formOrJson(request: SimRequest): URLSearchParams {
  const params = new URLSearchParams(request.url.search);
  const text = request.body.toString("utf8");
  if (!text) return params;
  if ((request.headers["content-type"] ?? "").includes("application/json")) {
    try {
      for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) params.set(key, String(value));
    } catch {
      throw new HttpError(400, "Problems parsing JSON");
    }
  } else {
    for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
  }
  return params;
}

const AUTHORIZE_ERRORS_URI = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors";
const TOKEN_ERRORS_URI = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

/** GitHub's redirect back to the app after a refusal: error, description, link, and the app's state. */
function authorizeError(target: URL, state: string | null, error: string, description: string): SimResponse {
  target.searchParams.set("error", error);
  target.searchParams.set("error_description", description);
  target.searchParams.set("error_uri", `${AUTHORIZE_ERRORS_URI}#${error.replaceAll("_", "-")}`);
  if (state !== null) target.searchParams.set("state", state);
  return emptyResponse(302, { location: target.toString() });
}

/**
 * GitHub's OAuth web flow for the app's sign-in. /login/oauth/authorize takes GitHub's parameters
 * (client_id, redirect_uri, state, login, allow_signup, scope) and, where GitHub would show its
 * consent page, decides at once from two simulator-only parameters: `sim_user` (who signs in;
 * else the `login` GitHub was asked to suggest; else the default user) and `sim_deny=true` (the
 * person clicks Cancel: back to the app with `error=access_denied`). Then it redirects back with
 * `code` and `state`. /login/oauth/access_token trades the code (with the client secret; a form
 * or a JSON body) for an expiring user token (ghu_…) and a refresh token, or refreshes one; a
 * wrong, used or expired code is GitHub's 200 with `error: bad_verification_code`.
 */
export class OAuthFlow {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { user: Account; expires: number }>();

  constructor(
    private readonly core: SimCore,
    private callbackUrl: string | undefined,
  ) {}

  /** The app's registered callback URL (Settings → Callback URL); redirect_uri must start with it. */
  setCallbackUrl(url: string | undefined): void {
    this.callbackUrl = url;
  }

  authorize(request: SimRequest): SimResponse {
    const query = request.url.searchParams;
    const app = this.core.world.app;
    if (query.get("client_id") !== app.clientId) throw new HttpError(404, "Not Found");
    const redirectUri = query.get("redirect_uri") ?? this.callbackUrl;
    if (!redirectUri) throw new HttpError(400, "redirect_uri is required: the app has no callback URL registered");
    const state = query.get("state");
    if (this.callbackUrl && !redirectUri.startsWith(this.callbackUrl.replace(/\/$/, ""))) {
      // GitHub does not send the person to an unregistered URL: the error goes to the registered one.
      return authorizeError(
        new URL(this.callbackUrl),
        state,
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
      );
    }
    const target = new URL(redirectUri);
    if (query.get("sim_deny") === "true") {
      return authorizeError(target, state, "access_denied", "The user has denied your application access.");
    }
    const login = query.get("sim_user") ?? query.get("login");
    const user = login ? this.core.world.ensureAccount(login) : this.core.defaultUser;
    const code = randomBytes(10).toString("hex");
    this.codes.set(code, {
      user,
      redirectUri,
      scopes: (query.get("scope") ?? "").split(/[ ,]+/).filter(Boolean),
      expires: this.core.now().getTime() + CODE_LIFETIME_MS,
    });
    target.searchParams.set("code", code);
    if (state !== null) target.searchParams.set("state", state);
    return emptyResponse(302, { location: target.toString() });
  }

  accessToken(request: SimRequest): SimResponse {
    const params = formOrJson(request);
    const app = this.core.world.app;
    const now = this.core.now();
    const answer = (values: Record<string, string | number>) => {
      if ((request.headers.accept ?? "").includes("json")) return jsonResponse(200, values);
      const form = new URLSearchParams(Object.entries(values).map(([key, value]): [string, string] => [key, String(value)]));
      return {
        status: 200,
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: Buffer.from(form.toString()),
      };
    };
    const failure = (error: string, description: string) =>
      answer({
        error,
        error_description: description,
        error_uri: `${TOKEN_ERRORS_URI}#${error.replaceAll("_", "-")}`,
      });
    if (params.get("client_id") !== app.clientId || params.get("client_secret") !== app.clientSecret) {
      return failure("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    }
    let user: Account;
    let scopes: string[] = [];
    if (params.get("grant_type") === "refresh_token") {
      const refresh = this.refreshTokens.get(params.get("refresh_token") ?? "");
      if (!refresh || refresh.expires <= now.getTime())
        return failure("bad_refresh_token", "The refresh token passed is incorrect or expired.");
      this.refreshTokens.delete(params.get("refresh_token")!);
      user = refresh.user;
    } else {
      const code = this.codes.get(params.get("code") ?? "");
      if (!code || code.expires <= now.getTime()) return failure("bad_verification_code", "The code passed is incorrect or expired.");
      const redirectUri = params.get("redirect_uri");
      if (redirectUri && redirectUri !== code.redirectUri)
        return failure("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
      this.codes.delete(params.get("code")!);
      user = code.user;
      scopes = code.scopes;
    }
    const token = this.core.tokens.issueUserToken(user, now, scopes);
    const refreshToken = newTokenString("ghr");
    this.refreshTokens.set(refreshToken, { user, expires: now.getTime() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000 });
    return answer({
      access_token: token.token,
      expires_in: USER_TOKEN_LIFETIME_MS / 1000,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SECONDS,
      token_type: "bearer",
      scope: "",
    });
  }
}
