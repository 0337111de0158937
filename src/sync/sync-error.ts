import { STATUS_CODES } from "node:http";
import { AppError, httpStatusOf } from "../errors.js";

/** A sync that could not finish, for a reason on GitHub's side: the mirror keeps what it had until healing retries. */
export class SyncError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("sync-failed", message, context ? { context } : {});
  }
}

/**
 * The one-line reason stored as a repository's `lastError` and shown by /status, to anyone for a
 * public repository. Only gitdisk's own messages are shown whole: GitHub's and the runtime's carry
 * URLs, host names and addresses of the GitHub it talks to, so they stay in the log line beside it.
 */
export function describeSyncFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const status = httpStatusOf(error);
  if (status === undefined) return "the sync failed unexpectedly; the server log has the details";
  // Octokit reports a request that got no answer (refused, timed out, no such host) as a 500 without a response.
  if (status === 500 && !hasResponse(error)) return "GitHub could not be reached; the server log has the details";
  return `GitHub answered ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd();
}

function hasResponse(error: unknown): boolean {
  return typeof error === "object" && error !== null && "response" in error && error.response !== undefined;
}
