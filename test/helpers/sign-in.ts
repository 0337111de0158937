/**
 * A browser's "Sign in with GitHub" through gitdisk and the GitHub simulator, without a browser: the
 * redirects followed by hand, the cookies a browser would keep carried by hand. Also the attacks on
 * it: a replayed callback, a tampered state, a callback without the browser's sign-in cookie.
 */
import type { Simulator } from "../github-sim/start-simulator.js";

export interface SignInOptions {
  /** "owner/name": the repository the session is for. */
  repo: string;
  /** Where gitdisk sends the browser back; its origin must be in the repository's api.origins. */
  redirect: string;
  /** Who signs in on the simulator's authorize page (its simulator-only `sim_user`). */
  user: string;
  /** Where gitdisk reaches GitHub's pages when not the simulator itself (the bench's proxy in front of it); default sim.url. */
  githubUrl?: string;
  /** The person clicks Cancel on GitHub's page. */
  deny?: boolean;
  /** The callback is sent a second time with the same code, state and cookie; the second answer is returned. */
  replayCallback?: boolean;
  /** The `state` GitHub hands back is changed on the way to the callback. */
  tamperState?: boolean;
  /** The callback arrives without the gitdisk_oauth cookie (another browser, or cookies cleared). */
  dropCookie?: boolean;
}

/** An answer of gitdisk's, as a test looks at it. */
export interface HttpAnswer {
  status: number;
  /** The Location header (absolute), if any. */
  location: string | null;
  /** Cookie name → the Set-Cookie header that sets it. */
  setCookies: Map<string, string>;
  body: string;
}

export interface SignedIn {
  /** The session for the bearer form, from the redirect's fragment (#gitdisk_session=…). */
  token: string;
  /** The gitdisk_session cookie's value, for the cookie form. */
  cookie: string;
  /** Where gitdisk sent the browser at the end. */
  location: string;
}

export const OAUTH_COOKIE = "gitdisk_oauth";
export const SESSION_COOKIE = "gitdisk_session";

/** A request that does not follow redirects, as a browser's single hop. */
export async function hop(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, redirect: "manual" });
  const location = response.headers.get("location");
  const setCookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) setCookies.set(header.slice(0, header.indexOf("=")).trim(), header);
  return {
    status: response.status,
    location: location === null ? null : new URL(location, url).href,
    setCookies,
    body: await response.text(),
  };
}

/** The value a Set-Cookie header sets ("name=value; attributes"). */
export function cookieValue(setCookie: string | undefined): string | null {
  if (setCookie === undefined) return null;
  const pair = setCookie.split(";")[0]!;
  return decodeURIComponent(pair.slice(pair.indexOf("=") + 1));
}

/** A parameter of a URL's fragment (#gitdisk_session=…&…). */
export function fragmentParam(location: string | null, name: string): string | null {
  if (location === null) return null;
  return new URLSearchParams(new URL(location).hash.slice(1)).get(name);
}

function describe(step: string, answer: HttpAnswer): string {
  return `${step}: ${answer.status}${answer.location ? ` → ${answer.location}` : ""} ${answer.body.slice(0, 500)}`;
}

/**
 * Runs the sign-in up to and including gitdisk's callback, and returns the callback's answer (the
 * replay's, with `replayCallback`). Throws when a step before the callback does not redirect as it must.
 */
export async function signInAnswer(gitdiskUrl: string, sim: Simulator, options: SignInOptions): Promise<HttpAnswer> {
  const login = await hop(`${gitdiskUrl}/v1/auth/login?${new URLSearchParams({ repo: options.repo, redirect: options.redirect })}`);
  const oauthCookie = cookieValue(login.setCookies.get(OAUTH_COOKIE));
  if (login.status !== 302 || !login.location || oauthCookie === null) throw new Error(describe("GET /v1/auth/login", login));

  const authorizeUrl = new URL(login.location);
  const githubUrl = options.githubUrl ?? sim.url;
  if (authorizeUrl.origin !== githubUrl) throw new Error(`gitdisk sent the browser to ${authorizeUrl.origin}, not GitHub at ${githubUrl}`);
  authorizeUrl.searchParams.set("sim_user", options.user);
  if (options.deny) authorizeUrl.searchParams.set("sim_deny", "true");
  const authorize = await hop(authorizeUrl.href);
  if (authorize.status !== 302 || !authorize.location) throw new Error(describe("GET /login/oauth/authorize", authorize));

  const callbackUrl = new URL(authorize.location);
  if (options.tamperState) {
    const state = callbackUrl.searchParams.get("state") ?? "";
    callbackUrl.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
  }
  const headers: Record<string, string> = options.dropCookie ? {} : { cookie: `${OAUTH_COOKIE}=${encodeURIComponent(oauthCookie)}` };
  const callback = await hop(callbackUrl.href, { headers });
  return options.replayCallback ? hop(callbackUrl.href, { headers }) : callback;
}

/** A successful sign-in: the session in both its forms. Throws, with what gitdisk answered, otherwise. */
export async function signIn(
  gitdiskUrl: string,
  sim: Simulator,
  options: Omit<SignInOptions, "deny" | "replayCallback" | "tamperState" | "dropCookie">,
): Promise<SignedIn> {
  const callback = await signInAnswer(gitdiskUrl, sim, options);
  const token = fragmentParam(callback.location, SESSION_COOKIE);
  const cookie = cookieValue(callback.setCookies.get(SESSION_COOKIE));
  if (callback.status !== 302 || token === null || cookie === null) throw new Error(describe("GET /v1/auth/callback", callback));
  return { token, cookie, location: callback.location! };
}
