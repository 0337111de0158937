import { visitorActor } from "../auth/visitor-actor.js";
import type { Access } from "./api-types.js";

/** The actor of a write made with the operator's key. */
const KEY_ACTOR = "key";

/**
 * Who is acting in `repoId`, as recorded with each write and required to read it back in `/writes/{id}`;
 * null for a caller without a key or a session for that repository. The operator's key is `key`, a
 * repository's site key `key:<id>`, a visitor signed in to it `session:<login>`. Never the
 * `X-Gitdisk-User` header: the key holder names any user there.
 */
export function actorOf(access: Access, repoId: number): string | null {
  if (access.key) return KEY_ACTOR;
  if (access.repoKey && access.repoKey.repoId === repoId) return `${KEY_ACTOR}:${access.repoKey.id}`;
  if (access.session && access.session.repoId === repoId) return visitorActor(access.session.login);
  return null;
}
