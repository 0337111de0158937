/**
 * Typed errors that say what went wrong, not how to answer it: sync and write-back decide on the
 * `code`, the log line gets the `context`, and a client may be shown the `details`. Only the HTTP
 * edge (src/api/http-answer.ts) turns a code into a status.
 */
export type ErrorCode =
  /** What the caller sent cannot be used as it is. */
  | "invalid-input"
  | "not-found"
  /** The caller is known but may not do this: a collection's write rule, a record that is another user's. */
  | "forbidden"
  /** The request contradicts what exists (a record that is already there). */
  | "conflict"
  /** A condition the caller set (If-Match, If-None-Match) does not hold. */
  | "precondition-failed"
  | "too-large"
  /** Well-formed data that the collection's JSON Schema refuses. */
  | "schema-mismatch"
  /** Configuration that cannot be used: the environment at start-up, or a repository's gitdisk.yml. */
  | "config-invalid"
  /** A repository that is mirrored but not served until a valid gitdisk.yml is pushed. */
  | "withheld"
  /** Not now (shutting down, writes not enabled, the store not answering); the same request may work later. */
  | "unavailable"
  /** A record's file in the repository is not what its collection says it holds. */
  | "unreadable-record"
  /** The GitHub App is not installed on the repository: nothing done on its behalf can succeed. */
  | "not-installed"
  /** A sync could not finish; the mirror keeps what it had until healing retries. */
  | "sync-failed";

/** Fields a client is shown beside the message, such as the id of the record a 409 is about. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AppErrorOptions {
  cause?: unknown;
  /** For the log line only. */
  context?: Record<string, unknown>;
  /** Shown to the client. */
  details?: ErrorDetails;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.details = options.details ?? {};
  }
}

function withContext(context: Record<string, unknown> | undefined): AppErrorOptions {
  return context ? { context } : {};
}

export class BadRequestError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("invalid-input", message, withContext(context));
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("not-found", message, withContext(context));
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("forbidden", message, withContext(context));
  }
}

export class ConflictError extends AppError {
  constructor(message: string, context?: Record<string, unknown>, details?: ErrorDetails) {
    super("conflict", message, { ...withContext(context), ...(details ? { details } : {}) });
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("precondition-failed", message, withContext(context));
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("too-large", message, withContext(context));
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("schema-mismatch", message, withContext(context));
  }
}

export class ConfigError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super("config-invalid", message, withContext(context));
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super("unavailable", message, cause === undefined ? {} : { cause });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The HTTP status an Octokit RequestError (or anything shaped like one) carries, if any: GitHub's answer, not ours. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
