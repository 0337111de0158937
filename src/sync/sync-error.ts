import { AppError, httpStatusOf, messageOf } from "../errors.js";

/** A sync that could not finish; GitHub's side (502), so the mirror keeps what it had until healing retries. */
export class SyncError extends AppError {
  constructor(message: string, context?: Record<string, unknown>, cause?: unknown) {
    super(502, "sync_failed", message, { ...(context ? { context } : {}), ...(cause === undefined ? {} : { cause }) });
  }
}

/** The one-line reason stored as a repository's `lastError` and shown by /status. */
export function describeSyncFailure(error: unknown): string {
  const status = httpStatusOf(error);
  return status === undefined || error instanceof AppError ? messageOf(error) : `GitHub answered ${status}: ${messageOf(error)}`;
}
