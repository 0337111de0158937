import { BadRequestError } from "../errors.js";

// GitHub's own rule for user and organisation names: up to 39 letters, digits and single inner hyphens.
const GITHUB_LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

/**
 * The acting user as gitdisk stores it. GitHub logins are case-insensitive, so `Alice` and `alice`
 * must build the same `{user}` id: one profile, one like per post.
 */
export function normalizeLogin(login: string | undefined): string {
  if (login === undefined || login.trim() === "") throw new BadRequestError("name the acting user with the X-Gitdisk-User header");
  const trimmed = login.trim();
  if (!GITHUB_LOGIN.test(trimmed)) {
    throw new BadRequestError(`${JSON.stringify(trimmed.slice(0, 50))} is not a GitHub login`);
  }
  return trimmed.toLowerCase();
}
