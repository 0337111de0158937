import type { WritePolicy } from "../config/repo-config.js";

/** POST creates (id from the template), PUT creates or replaces, DELETE deletes. */
export type WriteAction = "create" | "replace" | "delete";

/**
 * Who writes. A key (the operator's or a repository's site key) is trusted with the whole repository
 * and may act for any user it names (X-Gitdisk-User), or for none; a visitor writes only as the
 * login their session carries (lower-cased, as records store it).
 */
export type Writer = { kind: "key"; user?: string } | { kind: "visitor"; login: string };

export interface WriteAttempt {
  /** The collection's name, for the refusal's message. */
  collection: string;
  rule: WritePolicy;
  writer: Writer;
  action: WriteAction;
  /** The `{user}` the record's id holds, when the collection's id template has one. */
  idUser?: string;
  /**
   * The record as it is now (mirror with pending writes on top): `author` is its `_author`, if any.
   * Absent when the record does not exist, or for a create, which requires that.
   */
  current?: { author: string | undefined };
}

export type WriteDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: WriteDecision = { allowed: true };

/**
 * Whether a collection's `write` rule lets this writer do this to this record:
 * - `site`: keys only;
 * - `user`: a visitor creates records as themselves, and replaces or deletes only records they wrote
 *   (whose `_author` is their login, and whose id's `{user}`, if any, is too);
 * - `owner`: only the visitor the record belongs to: the `{user}` in its id when the template has
 *   one, else its `_author` (a record a visitor creates is theirs).
 * Keys may do anything: they are the site's own, and name the user they act for.
 */
export function decideWrite(attempt: WriteAttempt): WriteDecision {
  const { writer, rule } = attempt;
  if (writer.kind === "key") return ALLOWED;
  const refuse = (why: string): WriteDecision => ({
    allowed: false,
    reason: `collection ${attempt.collection} has write: ${rule}: ${why}`,
  });
  const { login } = writer;
  if (rule === "site") return refuse("only the site's keys write it, not a signed-in visitor");
  if (attempt.idUser !== undefined && attempt.idUser !== login) return refuse(`record of ${attempt.idUser}, not of ${login}`);
  const { current } = attempt;
  if (current === undefined) return ALLOWED;
  // Under `owner`, the id's {user} names the owner whoever wrote the record last (a key may have).
  if (rule === "owner" && attempt.idUser !== undefined) return ALLOWED;
  if (current.author === login) return ALLOWED;
  return refuse(
    current.author === undefined
      ? `the record names no author, so only a key may change it`
      : `the record was written by ${current.author}`,
  );
}
