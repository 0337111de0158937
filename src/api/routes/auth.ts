import { constantTimeEqual } from "../../auth/constant-time-equal.js";
import { GithubSignInError, isOauthErrorCode } from "../../auth/github-sign-in.js";
import { allowedRedirect, MAX_REDIRECT_LENGTH, withFragment } from "../../auth/redirect-target.js";
import {
  clearedSessionCookie,
  clearedStateCookie,
  readCookie,
  sessionCookie,
  stateCookie,
  stateCookieName,
} from "../../auth/session-cookie.js";
import { SESSION_LIFETIME_SECONDS, signSession } from "../../auth/session-tokens.js";
import {
  newNonce,
  SIGN_IN_STATE_LIFETIME_SECONDS,
  type SignInState,
  signSignInState,
  verifySignInState,
} from "../../auth/sign-in-state.js";
import { TokenError } from "../../auth/signed-tokens.js";
import { BadRequestError, messageOf, NotFoundError, UnavailableError } from "../../errors.js";
import { normalizeLogin } from "../../records/normalize-login.js";
import type { ApiResponse, Route, RouteContext, SignInDeps } from "../api-types.js";
import { UnauthorizedError } from "../http-errors.js";
import { loadSignInRepo } from "../load-repo.js";
import { signingSecrets } from "../sign-in-deps.js";

const NO_STORE = { "cache-control": "no-store" };
const SIGN_IN_OFF =
  "sign-in with GitHub is not configured on this server: set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, GITDISK_SESSION_SECRET and GITDISK_PUBLIC_URL";

/** Where GitHub returns the visitor, with a one-time code and the state in its query. */
export const CALLBACK_PATH = "/v1/auth/callback";

function signInOf({ deps }: Pick<RouteContext, "deps">): SignInDeps {
  if (!deps.signIn) throw new UnavailableError(SIGN_IN_OFF);
  return deps.signIn;
}

function required(context: RouteContext, name: string, what: string): string {
  const value = context.query.get(name);
  if (!value) throw new BadRequestError(`the ${name} parameter is required: ${what}`);
  return value;
}

/** Back to the site, gitdisk's answer in the fragment, with the cookies given. */
function redirectBack(redirect: string, fragment: Record<string, string>, cookies: string[]): ApiResponse {
  return { status: 302, headers: { ...NO_STORE, location: withFragment(redirect, fragment) }, cookies };
}

/** A callback that cannot be trusted: the visitor is not sent anywhere, and the log says why. */
function refuse(context: RouteContext, message: string): BadRequestError {
  context.deps.log.warn({ path: context.request.path }, `sign-in callback refused: ${message}`);
  return new BadRequestError(message);
}

/**
 * The sign-in this callback completes: the state cookie this browser got at login, signed by us and
 * unexpired, whose nonce GitHub echoed as `state` and which was not completed before.
 */
async function stateOf(context: RouteContext, signIn: SignInDeps, now: number): Promise<SignInState> {
  const cookie = readCookie(context.request.headers.cookie, stateCookieName(signIn.config.secureCookies));
  if (cookie === undefined) {
    throw refuse(
      context,
      "the sign-in state cookie is missing: start again at /v1/auth/login, in a browser that keeps this site's cookies",
    );
  }
  let state: SignInState;
  try {
    state = await verifySignInState(cookie, signingSecrets(signIn.config), now);
  } catch (error) {
    if (error instanceof TokenError) throw refuse(context, `${error.message}: start again at /v1/auth/login`);
    throw error;
  }
  if (!constantTimeEqual(context.query.get("state") ?? "", state.nonce)) {
    throw refuse(context, "the state parameter does not match this browser's sign-in");
  }
  if (!signIn.usedNonces.useOnce(state.nonce, state.expiresAt, now)) {
    throw refuse(context, "this sign-in was already completed: start again at /v1/auth/login");
  }
  return state;
}

export const authRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/auth/login",
    ignoresCredentials: true,
    async handle(context) {
      const signIn = signInOf(context);
      const repo = await loadSignInRepo(context.deps, required(context, "repo", "the repository, as owner/name"));
      const asked = required(context, "redirect", "the page to return to");
      const redirect = allowedRedirect(asked, repo.config.api.origins);
      if (!redirect) {
        throw new BadRequestError(
          `redirect ${JSON.stringify(asked.slice(0, 200))} must be an absolute URL of at most ${MAX_REDIRECT_LENGTH} characters on an origin listed in api.origins of ${repo.owner}/${repo.name}`,
        );
      }
      const nonce = newNonce();
      const full = `${repo.owner}/${repo.name}`;
      const state = await signSignInState(
        { nonce, repoId: repo.id, repo: full, redirect: redirect.href },
        signingSecrets(signIn.config),
        signIn.now(),
      );
      return {
        status: 302,
        headers: { ...NO_STORE, location: signIn.github.authorizeUrl(nonce) },
        cookies: [stateCookie(state.token, SIGN_IN_STATE_LIFETIME_SECONDS, signIn.config.secureCookies)],
      };
    },
  },
  {
    method: "GET",
    pattern: CALLBACK_PATH,
    ignoresCredentials: true,
    async handle(context) {
      const signIn = signInOf(context);
      const { log, store } = context.deps;
      const now = signIn.now();
      const state = await stateOf(context, signIn, now);
      const repo = await store.getRepo(state.repoId);
      if (!repo) throw new NotFoundError(`repository ${state.repo} is no longer mirrored here`);
      // The origins may have changed since the login step; the redirect must still be listed.
      if (!allowedRedirect(state.redirect, repo.config.api.origins)) {
        throw refuse(context, `the redirect is no longer on an origin listed in api.origins of ${state.repo}`);
      }
      const { secureCookies } = signIn.config;
      const clearState = clearedStateCookie(secureCookies);
      const githubError = context.query.get("error");
      if (githubError !== undefined) {
        log.info({ repo: state.repo, error: githubError.slice(0, 100) }, "sign-in not granted at GitHub");
        return redirectBack(state.redirect, { gitdisk_error: isOauthErrorCode(githubError) ? githubError : "unknown_error" }, [clearState]);
      }
      const code = required(context, "code", "GitHub's authorization code");
      let signedIn: Awaited<ReturnType<SignInDeps["github"]["signIn"]>>;
      try {
        signedIn = await signIn.github.signIn(code, state.repo);
      } catch (error) {
        if (!(error instanceof GithubSignInError)) throw error;
        log.warn({ repo: state.repo, reason: error.reason, err: error }, "sign-in failed at GitHub");
        return redirectBack(state.redirect, { gitdisk_error: error.reason }, [clearState]);
      }
      const { user, admin } = signedIn;
      const login = normalizeLogin(user.login);
      try {
        await signIn.refreshProfile(repo, user);
      } catch (error) {
        // The profile is a courtesy: the visitor is signed in whether or not it could be written.
        log.warn({ repo: state.repo, login, err: error }, `the profile of ${login} could not be refreshed: ${messageOf(error)}`);
      }
      const session = await signSession({ login, userId: user.id, repoId: repo.id, admin }, signingSecrets(signIn.config), now);
      log.info({ repo: state.repo, login, admin }, "visitor signed in");
      return redirectBack(state.redirect, { gitdisk_session: session.token }, [
        sessionCookie(session.token, SESSION_LIFETIME_SECONDS, secureCookies),
        clearState,
      ]);
    },
  },
  {
    method: "GET",
    pattern: "/v1/auth/me",
    async handle(context) {
      signInOf(context);
      const { session } = context.access;
      if (!session) throw new UnauthorizedError("no session: sign in at /v1/auth/login, then send the session as a bearer or a cookie");
      const repo = await context.deps.store.getRepo(session.repoId);
      if (!repo) throw new NotFoundError("the repository of this session is no longer mirrored here");
      // A page asks whether its visitor is signed in to its own site; gitdisk's one cookie may hold another site's session.
      const asked = context.query.get("repo");
      if (asked !== undefined && asked.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase()) {
        throw new UnauthorizedError(`not signed in to ${asked.slice(0, 200)}: sign in at /v1/auth/login`);
      }
      return {
        status: 200,
        headers: NO_STORE,
        body: {
          login: session.login,
          userId: session.userId,
          repo: `${repo.owner}/${repo.name}`,
          admin: session.admin,
          expiresAt: session.expiresAt === undefined ? null : new Date(session.expiresAt).toISOString(),
        },
      };
    },
  },
  {
    method: "POST",
    pattern: "/v1/auth/logout",
    ignoresCredentials: true,
    async handle(context) {
      const signIn = signInOf(context);
      // A bearer token is stateless and stays valid until it expires: the page forgets it.
      return { status: 204, headers: NO_STORE, cookies: [clearedSessionCookie(signIn.config.secureCookies)] };
    },
  },
];
