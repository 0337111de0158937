import { type ErrorCode, httpStatusOf, isAppError, messageOf } from "../errors.js";

/**
 * What a failed commit attempt means for the batch:
 * - `stale-head`: the branch moved (someone pushed, or an earlier attempt of ours did land); refresh and retry;
 * - `missing-deletion`: a file to delete is no longer there; drop those deletions and retry;
 * - `content-refused`: GitHub refuses something in the commit (a path, a file, its size); retrying the
 *   same batch cannot help, but a smaller one without the offending write can;
 * - `permanent`: retrying cannot help (no access, branch protection, the branch is gone);
 * - `unknown`: the commit may or may not have been made (5xx, timeout, network, rate limit); look before retrying.
 */
export type CommitErrorKind = "stale-head" | "missing-deletion" | "content-refused" | "permanent" | "unknown";

interface GraphqlErrorEntry {
  type?: unknown;
  message?: unknown;
}

const PERMANENT_TYPES = new Set(["NOT_FOUND", "FORBIDDEN", "INSUFFICIENT_SCOPES"]);
const CONTENT_TYPES = new Set(["UNPROCESSABLE", "BAD_USER_INPUT"]);
const PERMANENT_MESSAGES =
  /repository rule violations|protected branch|resource not accessible|must be made through a pull request|could not resolve to a repository|archived/i;
const RATE_LIMITED = /rate limit|abuse/i;
/** Our own refusals before anything is sent: no retry can get past them. Any other code may pass later. */
const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set(["not-installed"]);

function graphqlErrorsOf(error: unknown): GraphqlErrorEntry[] {
  if (typeof error !== "object" || error === null || !("errors" in error)) return [];
  const errors = (error as { errors: unknown }).errors;
  return Array.isArray(errors) ? (errors as GraphqlErrorEntry[]) : [];
}

export function classifyCommitError(error: unknown): CommitErrorKind {
  if (isAppError(error)) return PERMANENT_CODES.has(error.code) ? "permanent" : "unknown";
  const entries = graphqlErrorsOf(error);
  if (entries.length > 0) {
    const types = entries.map((entry) => String(entry.type ?? ""));
    const messages = entries.map((entry) => String(entry.message ?? "")).join("\n");
    if (types.includes("STALE_DATA") || /expected branch to point to/i.test(messages)) return "stale-head";
    if (/requested for deletion which does not exist/i.test(messages)) return "missing-deletion";
    if (types.includes("RATE_LIMITED") || RATE_LIMITED.test(messages)) return "unknown";
    // Checked first: branch protection also answers UNPROCESSABLE, and no smaller batch gets past it.
    if (types.some((type) => PERMANENT_TYPES.has(type)) || PERMANENT_MESSAGES.test(messages)) return "permanent";
    if (types.some((type) => CONTENT_TYPES.has(type))) return "content-refused";
    return "unknown";
  }
  const status = httpStatusOf(error);
  if (status === undefined || status >= 500 || status === 408 || status === 429) return "unknown";
  if (status === 403 && RATE_LIMITED.test(messageOf(error))) return "unknown";
  // 413: the request was too big; 422: GitHub refused what it holds.
  if (status === 413 || status === 422) return "content-refused";
  // 401 (credentials revoked), 403 (no permission), 404 (repository gone or hidden), other 4xx.
  return status >= 400 ? "permanent" : "unknown";
}

/** A short, log- and user-safe reason for a failure: the GraphQL messages when there are some. */
export function commitErrorReason(error: unknown): string {
  const entries = graphqlErrorsOf(error);
  const reason = entries.length > 0 ? entries.map((entry) => String(entry.message ?? entry.type ?? "error")).join("; ") : messageOf(error);
  const status = httpStatusOf(error);
  return (status === undefined ? reason : `HTTP ${status}: ${reason}`).slice(0, 1000);
}
