import type { Access } from "./api-types.js";

/** The actor of a write made with the site key. */
const KEY_ACTOR = "key";

/**
 * Who is acting, as recorded with each write and required to read it back in `/writes/{id}`; null
 * for an anonymous caller. Only the site key acts today; a signed-in visitor will be `session:<login>`.
 * Never the `X-Gitdisk-User` header: the key holder names any user there.
 */
export function actorOf(access: Access): string | null {
  return access.key ? KEY_ACTOR : null;
}
