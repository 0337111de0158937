import { BadRequestError, ForbiddenError } from "../errors.js";
import { normalizeLogin } from "./normalize-login.js";
import type { RecordData } from "./record-format.js";

/**
 * The top-level field, owned by gitdisk, that names the login who wrote a record. It lives in the
 * record's file (JSON, or a Markdown record's front matter), so authorship survives rebuilding the
 * store from the repository.
 */
export const AUTHOR_FIELD = "_author";

/** Who wrote a record, from its parsed data; undefined when it names no author, or not as a GitHub login (edited by hand). */
export function authorOf(data: RecordData): string | undefined {
  const value = data[AUTHOR_FIELD];
  if (typeof value !== "string") return undefined;
  try {
    return normalizeLogin(value);
  } catch {
    return undefined;
  }
}

/**
 * An incoming body, split into the record's own fields and the author it claims. A body may repeat
 * the acting user as its author (as a GET returned it), never name another: 403. Without an acting
 * user (a key naming none), the author the body claims is the one kept.
 */
export function takeAuthorship(data: RecordData, actingUser: string | undefined): { fields: RecordData; author: string | undefined } {
  if (!Object.hasOwn(data, AUTHOR_FIELD)) return { fields: data, author: actingUser };
  const { [AUTHOR_FIELD]: claimed, ...fields } = data;
  if (typeof claimed !== "string") throw new BadRequestError(`field "${AUTHOR_FIELD}" must be a GitHub login`);
  const author = normalizeLogin(claimed);
  if (actingUser !== undefined && author !== actingUser) {
    throw new ForbiddenError(`the body claims another author: "${AUTHOR_FIELD}" is ${author}, but the write is made as ${actingUser}`, {
      author,
      user: actingUser,
    });
  }
  return { fields, author };
}

/** The record's data with its author stamped in; unchanged when there is none to stamp. */
export function stampAuthor(fields: RecordData, author: string | undefined): RecordData {
  return author === undefined ? fields : { ...fields, [AUTHOR_FIELD]: author };
}
