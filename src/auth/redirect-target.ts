/**
 * Longest redirect taken: it travels in the sign-in state cookie, which browsers drop past 4,096 bytes
 * (and with it the sign-in), so a longer one is refused at the start rather than lost at the end.
 */
export const MAX_REDIRECT_LENGTH = 2000;

/**
 * Where sign-in may send a visitor back: an absolute http(s) URL, without credentials in it, whose
 * origin is one of the repository's `api.origins` (canonical, as gitdisk.yml is checked). Anything
 * else is undefined: gitdisk is no open redirect.
 */
export function allowedRedirect(redirect: string, origins: readonly string[]): URL | undefined {
  if (redirect.length > MAX_REDIRECT_LENGTH || !URL.canParse(redirect)) return undefined;
  const url = new URL(redirect);
  // The cookie holds the encoded form, which may be several times longer (a "€" is 9 characters there).
  if (url.href.length > MAX_REDIRECT_LENGTH) return undefined;
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username || url.password) return undefined;
  return origins.includes(url.origin) ? url : undefined;
}

/**
 * The redirect with gitdisk's answer in its fragment: the browser keeps a fragment to itself (never
 * sent to a server, nor in a Referer), so a session token there reaches only the page's script.
 */
export function withFragment(redirect: string, values: Readonly<Record<string, string>>): string {
  const url = new URL(redirect);
  url.hash = new URLSearchParams(values).toString();
  return url.href;
}
